using System.Net.Http.Headers;
using LiveAspire.Api.Accounts;
using LiveAspire.Api.Seeding;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Channels;

namespace LiveAspire.Tests.Harness;

/// <summary>Who calls, in the permission matrix.</summary>
public enum Actor { Anonymous, Viewer, Follower, Subscriber, Moderator, Performer, OtherPerformer, Admin }

/// <summary>
/// A channel with one user in every role, plus a second performer with their own channel. Users are seeded and
/// their tokens minted with the real key (no register or login calls, so the suite never meets the rate limits).
/// </summary>
public sealed class ChannelWorld
{
    /// <summary>A 1x1 PNG is more than the sniffer needs; its signature is what counts.</summary>
    public static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0];

    private readonly Dictionary<Actor, SeededUser> _users = [];

    private ChannelWorld(HttpClient http) => Http = http;

    public HttpClient Http { get; }
    public Guid ChannelId { get; private set; }
    public Guid OtherChannelId { get; private set; }

    /// <summary>A user with no role anywhere, for appointing and granting.</summary>
    public SeededUser Spare { get; private set; } = null!;

    public string? Token(Actor actor) => actor == Actor.Anonymous ? null : _users[actor].AccessToken;
    public Guid UserId(Actor actor) => _users[actor].UserId;

    public static async Task<ChannelWorld> CreateAsync(ApiFixture api)
    {
        var world = new ChannelWorld(api.CreateClient());
        var issuer = new AccessTokenIssuer(api.SigningKeyPem, TimeSpan.FromMinutes(15));
        await using var dataSource = api.CreateDataSource();
        var seeded = await UserSeeder.SeedAsync(dataSource, issuer, 9, $"w{Guid.NewGuid():N}"[..12] + "_");
        var actors = Enum.GetValues<Actor>().Where(a => a != Actor.Anonymous).ToArray();
        for (var i = 0; i < actors.Length; i++)
        {
            world._users[actors[i]] = seeded[i];
        }
        world.Spare = seeded[^1];
        var admin = world._users[Actor.Admin];
        await api.ScalarAsync("UPDATE users SET global_role = 'admin' WHERE id = $1 RETURNING 1", admin.UserId);
        world._users[Actor.Admin] = admin with { AccessToken = issuer.Issue(admin.UserId, admin.Username, GlobalRoles.Admin, 1).Token };

        world.ChannelId = (await world.CreateChannelAsync(Actor.Performer)).Id;
        world.OtherChannelId = (await world.CreateChannelAsync(Actor.OtherPerformer)).Id;
        await world.ExpectAsync(HttpMethod.Put, $"/api/channels/{world.ChannelId}/follow", Actor.Follower, null, HttpStatusCode.NoContent);
        await world.ExpectAsync(HttpMethod.Post, "/api/admin/subscriptions", Actor.Admin,
            new { userId = world.UserId(Actor.Subscriber), channelId = world.ChannelId, tier = 1 }, HttpStatusCode.Created);
        await world.ExpectAsync(HttpMethod.Put, $"/api/channels/{world.ChannelId}/moderators/{world.UserId(Actor.Moderator)}", Actor.Performer, null, HttpStatusCode.NoContent);
        return world;
    }

    public async Task<ChannelDto> CreateChannelAsync(Actor owner)
    {
        var slug = $"c{Guid.NewGuid():N}"[..20];
        using var response = await SendAsync(HttpMethod.Post, "/api/channels", owner, new { slug, displayName = $"Channel {slug}", title = "first title" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create channel: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<ChannelDto>())!;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, Actor actor, object? body)
        => SendAsync(method, path, Token(actor), body is null ? null : JsonContent.Create(body));

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return Http.SendAsync(request);
    }

    /// <summary>Sends, asserts the status, and answers the body as JSON (default when empty).</summary>
    public async Task<JsonElement> ExpectAsync(HttpMethod method, string path, Actor actor, object? body, HttpStatusCode status)
    {
        using var response = await SendAsync(method, path, actor, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{method} {path} as {actor}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static ByteArrayContent Image(byte[] bytes, string contentType = "image/png")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    public static string NewEmoteCode() => "E" + Guid.NewGuid().ToString("N")[..12];
}
