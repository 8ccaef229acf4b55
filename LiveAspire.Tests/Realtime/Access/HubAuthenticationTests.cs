using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using LiveAspire.Contracts.Auth;
using LiveAspire.Rooms.Redis;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LiveAspire.Tests.Realtime.Access;

/// <summary>Only a valid, unrevoked token opens the hub; a revoked session's open connection is closed.</summary>
[Collection(SystemCollection.Name)]
public sealed class HubAuthenticationTests(AppHostFixture system)
{
    private static readonly JsonWebTokenHandler Handler = new();

    private Uri HubUrl => new UriBuilder(system.Endpoint("realtime")) { Scheme = "ws", Path = "/hubs/live" }.Uri;

    private string PublicKeyPem => system.Parameter("jwt-signing-key-public");

    private static string Forge(SigningCredentials credentials, string issuer = TokenClaims.Issuer, string audience = TokenClaims.Audience,
        DateTime? expires = null) => Handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = audience,
        IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(15)).AddMinutes(-15),
        NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(15)).AddMinutes(-15),
        Expires = expires ?? DateTime.UtcNow.AddMinutes(15),
        Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString("D"), ["sv"] = 1, ["role"] = "admin" },
        SigningCredentials = credentials,
    });

    public static TheoryData<string> BadTokens() => ["none", "expired", "other-key", "alg-none", "hs256-public-key", "wrong-issuer", "wrong-audience"];

    private string Token(string kind)
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var other = new SigningCredentials(new ECDsaSecurityKey(otherKey), SecurityAlgorithms.EcdsaSha256);
        return kind switch
        {
            "expired" => SystemTokens.Mint(system, Guid.NewGuid(), lifetime: TimeSpan.FromMinutes(-5)),
            "other-key" => Forge(other),
            "alg-none" => Base64(new { alg = "none", typ = "JWT" }) + "." + Base64(new
            {
                sub = Guid.NewGuid().ToString("D"), sv = 1, iss = TokenClaims.Issuer, aud = TokenClaims.Audience,
                exp = DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds(),
            }) + ".",
            "hs256-public-key" => Forge(new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(PublicKeyPem)), SecurityAlgorithms.HmacSha256)),
            "wrong-issuer" => ForgeWithSystemKey(issuer: "someone-else"),
            "wrong-audience" => ForgeWithSystemKey(audience: "another-app"),
            _ => "",
        };
    }

    private string ForgeWithSystemKey(string issuer = TokenClaims.Issuer, string audience = TokenClaims.Audience)
    {
        var pem = system.Parameter("jwt-signing-key-private");
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        return Forge(new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256), issuer, audience);
    }

    private static string Base64(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task UpgradeIsRefusedWith401(string kind)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var token = Token(kind);
        if (token.Length > 0)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(HubUrl, cts.Token));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task ValidTokenInTheHeaderConnects()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {SystemTokens.Mint(system, await SystemTokens.NewUserAsync(system))}");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await socket.ConnectAsync(HubUrl, cts.Token);

        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task RevocationNoticeClosesTheUsersOlderConnectionsOnEveryReplica()
    {
        var users = await SystemTokens.NewUsersAsync(system, 2);
        var user = users[0];
        var clients = new List<CollectingClient>();
        foreach (var replica in system.Parts("realtime"))
        {
            clients.Add(await LiveClients.ConnectAsync(replica.Url!, () => SystemTokens.Mint(system, user, sessionVersion: 1)));
        }
        await using var newer = await LiveClients.ConnectAsync(system.Endpoint("realtime"), () => SystemTokens.Mint(system, user, sessionVersion: 2));
        await using var bystander = await LiveClients.ConnectAsync(system.Endpoint("realtime"), () => SystemTokens.Mint(system, users[1], sessionVersion: 1));
        await using var rooms = await TestRooms.ConnectAsync(system.ConnectionString("redis"));
        var multiplexer = rooms.Redis;

        var sent = System.Diagnostics.Stopwatch.StartNew();
        await multiplexer.GetSubscriber().PublishAsync(StackExchange.Redis.RedisChannel.Literal("liveaspire:revocations"),
            JsonSerializer.Serialize(new RevocationNotice(user, 2, "logout_all"), new JsonSerializerOptions(JsonSerializerDefaults.Web)));

        foreach (var client in clients)
        {
            await Eventually.UntilAsync(() => client.Client.RevokedReason == "logout_all", "the old connection to be revoked", TimeSpan.FromSeconds(5));
        }
        var delay = sent.Elapsed;
        Console.WriteLine($"revocation reached every replica's connections in {delay.TotalMilliseconds:0} ms");
        Assert.Equal("realtime-", (await newer.Client.PingAsync()).Replica[..9]);  // a token with the new version stays
        Assert.Equal("realtime-", (await bystander.Client.PingAsync()).Replica[..9]); // other users are untouched
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }
}
