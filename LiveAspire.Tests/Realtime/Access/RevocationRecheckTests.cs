using System.Net.Http.Headers;
using LiveAspire.Client;
using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Channels;
using LiveAspire.Hosting;

namespace LiveAspire.Tests.Realtime.Access;

/// <summary>
/// Revocation with a bound (docs/realtime.md, "Sessions and revocation"): when Api's notice to Realtime is lost (the
/// fault hook <c>revocation-notice-drop</c> drops it and the cache write with it, as a Redis blip would), every
/// replica's periodic re-check still closes the connections within <c>Revocation:RecheckInterval</c> (3 s in the test
/// system); and revoking or rotating an overlay key closes the overlay connections opened with its tokens.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class RevocationRecheckTests(AppHostFixture system)
{
    /// <summary>A few intervals: the re-check's bound is one, the rest is patience for a loaded machine.</summary>
    private static readonly TimeSpan Deadline = AppHostFixture.RecheckInterval * 5;

    private string HookFile(string suffix) => Path.Combine(system.FaultDirectory, $"{FaultHookNames.RevocationNoticeDrop}.{suffix}");

    /// <summary>Arms the hook to drop Api's follow-up of revocations whose context contains <paramref name="context"/>.</summary>
    private async Task<IAsyncDisposable> DropNoticesAsync(string context)
    {
        File.Delete(HookFile("reached"));
        await File.WriteAllTextAsync(HookFile("arm"), $"drop\ncontext={context}");
        return new Disarm(this);
    }

    private sealed class Disarm(RevocationRecheckTests test) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            File.Delete(test.HookFile("arm"));
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The hook fired for <paramref name="context"/>: the notice was really dropped, so only the re-check can close.</summary>
    private async Task AssertDroppedAsync(string context)
    {
        await Eventually.UntilAsync(() => File.Exists(HookFile("reached")), "the notice to be dropped", Deadline);
        Assert.Equal(context, await File.ReadAllTextAsync(HookFile("reached")));
    }

    private HttpClient Api(string? token = null)
    {
        var api = system.CreateHttpClient("api");
        if (token is not null)
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return api;
    }

    private async Task<TokenResponse> LoginAsync(string login, string password)
    {
        using var api = Api();
        using var response = await api.PostAsJsonAsync("/api/auth/login", new LoginRequest(login, password, $"device-{Guid.NewGuid():N}"));
        Assert.True(response.IsSuccessStatusCode, $"login answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    private async Task<TokenResponse> NewLoggedInUserAsync()
    {
        var id = await SystemTokens.NewUserAsync(system);
        await using var db = Npgsql.NpgsqlDataSource.Create(system.ConnectionString("livedb"));
        var username = (string)(await db.CreateCommand($"SELECT username FROM users WHERE id = '{id}'").ExecuteScalarAsync())!;
        return await LoginAsync(username, LiveAspire.Api.Seeding.UserSeeder.DefaultPassword);
    }

    private async Task<List<CollectingClient>> ConnectOnEveryReplicaAsync(string token)
    {
        var clients = new List<CollectingClient>();
        foreach (var replica in system.Parts("realtime"))
        {
            clients.Add(await LiveClients.ConnectAsync(replica.Url!, () => token));
        }
        return clients;
    }

    private static async Task DisposeAllAsync(IEnumerable<CollectingClient> clients)
    {
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task ALogOutEverywhereWhoseNoticeIsLostStillClosesTheUsersConnectionsOnEveryReplicaWithinTheRecheckInterval()
    {
        var tokens = await NewLoggedInUserAsync();
        var context = $"user:{tokens.User.Id:D}";
        var clients = await ConnectOnEveryReplicaAsync(tokens.AccessToken);
        await using var bystander = await LiveClients.ConnectAsync(system.Endpoint("realtime"), () => SystemTokens.Mint(system, tokens.User.Id, sessionVersion: 1000));
        try
        {
            await using (await DropNoticesAsync(context))
            {
                using var api = Api(tokens.AccessToken);
                using var response = await api.PostAsync("/api/auth/logout-all", null);
                Assert.True(response.IsSuccessStatusCode, $"logout-all answered {(int)response.StatusCode}");
                await AssertDroppedAsync(context);
            }

            foreach (var client in clients)
            {
                // Not logout_all: that reason travels only in the notice, which was dropped.
                await Eventually.UntilAsync(() => client.Client.RevokedReason == RevocationReasons.SessionRevoked,
                    "the re-check to revoke the connection", Deadline);
            }
            // A connection with a token newer than the revocation is not touched by the re-check.
            Assert.StartsWith("realtime-", (await bystander.Client.PingAsync()).Replica, StringComparison.Ordinal);
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [Fact]
    public async Task ABanWhoseNoticeIsLostStillClosesTheUsersConnectionsWithinTheRecheckInterval()
    {
        var tokens = await NewLoggedInUserAsync();
        var admin = await LoginAsync("admin", system.Parameter("initial-admin-password"));
        var context = $"user:{tokens.User.Id:D}";
        var clients = await ConnectOnEveryReplicaAsync(tokens.AccessToken);
        try
        {
            await using (await DropNoticesAsync(context))
            {
                using var api = Api(admin.AccessToken);
                using var response = await api.PostAsJsonAsync($"/api/admin/users/{tokens.User.Id}/ban", new BanRequest("spam"));
                Assert.True(response.IsSuccessStatusCode, $"ban answered {(int)response.StatusCode}");
                await AssertDroppedAsync(context);
            }

            foreach (var client in clients)
            {
                await Eventually.UntilAsync(() => client.Client.RevokedReason == RevocationReasons.Banned,
                    "the re-check to close the banned user's connection", Deadline);
            }
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    private async Task<(string OwnerToken, Guid Channel)> NewChannelAsync()
    {
        var owner = await SystemTokens.NewUserAsync(system);
        var token = SystemTokens.Mint(system, owner);
        using var api = Api(token);
        var slug = $"ch{Guid.NewGuid():N}"[..16];
        using var response = await api.PostAsJsonAsync("/api/channels", new CreateChannelRequest(slug, "Overlay Test", "testing", "", "", null, null, null));
        Assert.True(response.IsSuccessStatusCode, $"create channel answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (token, (await response.Content.ReadFromJsonAsync<ChannelDto>())!.Id);
    }

    private async Task<OverlayKeySecret> NewOverlayKeyAsync(string ownerToken, Guid channel)
    {
        using var api = Api(ownerToken);
        using var created = await api.PostAsync($"/api/channels/{channel}/overlay-keys", null);
        Assert.True(created.IsSuccessStatusCode, $"create key answered {(int)created.StatusCode}");
        return (await created.Content.ReadFromJsonAsync<OverlayKeySecret>())!;
    }

    private async Task<CollectingClient> ConnectOverlayAsync(Uri replica, OverlayKeySecret key)
    {
        using var api = Api();
        using var exchanged = await api.PostAsJsonAsync("/api/overlay/token", new OverlayTokenRequest(key.Key));
        Assert.True(exchanged.IsSuccessStatusCode, $"exchange answered {(int)exchanged.StatusCode}");
        var token = (await exchanged.Content.ReadFromJsonAsync<OverlayTokenResponse>())!.AccessToken;
        var client = await LiveClients.ConnectAsync(replica, () => token);
        Assert.Null((await client.Client.JoinAsync([$"alerts:{key.ChannelId:D}"]))[$"alerts:{key.ChannelId:D}"].Error);
        return client;
    }

    private async Task<List<CollectingClient>> ConnectOverlayOnEveryReplicaAsync(OverlayKeySecret key)
    {
        var clients = new List<CollectingClient>();
        foreach (var replica in system.Parts("realtime"))
        {
            clients.Add(await ConnectOverlayAsync(replica.Url!, key));
        }
        return clients;
    }

    [Fact]
    public async Task RotatingAnOverlayKeyClosesTheOverlayConnectionsOfItsTokensOnEveryReplicaAndNoOther()
    {
        var (ownerToken, channel) = await NewChannelAsync();
        var key = await NewOverlayKeyAsync(ownerToken, channel);
        var other = await NewOverlayKeyAsync(ownerToken, channel);
        var clients = await ConnectOverlayOnEveryReplicaAsync(key);
        await using var otherOverlay = await ConnectOverlayAsync(system.Endpoint("realtime"), other);
        try
        {
            using var api = Api(ownerToken);
            using var rotated = await api.PostAsync($"/api/channels/{channel}/overlay-keys/{key.Id}/rotate", null);
            Assert.True(rotated.IsSuccessStatusCode, $"rotate answered {(int)rotated.StatusCode}");

            foreach (var client in clients)
            {
                await Eventually.UntilAsync(() => client.Client.RevokedReason == RevocationReasons.OverlayKeyRevoked,
                    "the rotated key's overlay connection to be revoked", Deadline);
            }
            Assert.StartsWith("realtime-", (await otherOverlay.Client.PingAsync()).Replica, StringComparison.Ordinal);
            Assert.Null(otherOverlay.Client.RevokedReason);
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }

    [Fact]
    public async Task RevokingAnOverlayKeyWhoseNoticeIsLostStillClosesItsOverlayConnectionsWithinTheRecheckInterval()
    {
        var (ownerToken, channel) = await NewChannelAsync();
        var key = await NewOverlayKeyAsync(ownerToken, channel);
        var context = $"overlay-key:{key.Id:D}";
        var clients = await ConnectOverlayOnEveryReplicaAsync(key);
        try
        {
            await using (await DropNoticesAsync(context))
            {
                using var api = Api(ownerToken);
                using var revoked = await api.PostAsync($"/api/channels/{channel}/overlay-keys/{key.Id}/revoke", null);
                Assert.True(revoked.IsSuccessStatusCode, $"revoke answered {(int)revoked.StatusCode}");
                await AssertDroppedAsync(context);
            }

            foreach (var client in clients)
            {
                await Eventually.UntilAsync(() => client.Client.RevokedReason == RevocationReasons.OverlayKeyRevoked,
                    "the re-check to close the revoked key's overlay connection", Deadline);
            }
        }
        finally
        {
            await DisposeAllAsync(clients);
        }
    }
}
