using System.Net.Http.Headers;
using System.Net.WebSockets;
using LiveAspire.Client;
using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime.Access;

/// <summary>Revocation end to end: Api changes the session, every replica closes the user's open connections.</summary>
[Collection(SystemCollection.Name)]
public sealed class SessionRevocationTests(AppHostFixture system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private async Task<TokenResponse> LoginAsync(string login, string password)
    {
        using var api = system.CreateHttpClient("api");
        using var response = await api.PostAsJsonAsync("/api/auth/login", new LoginRequest(login, password, $"device-{Guid.NewGuid():N}"));
        Assert.True(response.IsSuccessStatusCode, $"login answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    private async Task<(string Username, TokenResponse Tokens)> NewLoggedInUserAsync()
    {
        var id = await SystemTokens.NewUserAsync(system);
        await using var db = Npgsql.NpgsqlDataSource.Create(system.ConnectionString("livedb"));
        var username = (string)(await db.CreateCommand($"SELECT username FROM users WHERE id = '{id}'").ExecuteScalarAsync())!;
        return (username, await LoginAsync(username, LiveAspire.Api.Seeding.UserSeeder.DefaultPassword));
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

    private async Task<HttpStatusCode> UpgradeStatusAsync(string token)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        var url = new UriBuilder(system.Endpoint("realtime")) { Scheme = "ws", Path = "/hubs/live" }.Uri;
        try
        {
            await socket.ConnectAsync(url, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            return HttpStatusCode.SwitchingProtocols;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    [Fact]
    public async Task LogOutEverywhereClosesOpenConnectionsOnEveryReplicaAndTheOldTokenCannotReconnect()
    {
        var (_, tokens) = await NewLoggedInUserAsync();
        var clients = await ConnectOnEveryReplicaAsync(tokens.AccessToken);
        try
        {
            using var api = system.CreateHttpClient("api");
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using var response = await api.PostAsync("/api/auth/logout-all", null);
            Assert.True(response.IsSuccessStatusCode, $"logout-all answered {(int)response.StatusCode}");

            foreach (var client in clients)
            {
                await Eventually.UntilAsync(() => client.Client.State == LiveHubState.Revoked, "the connection to be revoked", Deadline);
            }
            Console.WriteLine($"revocation delay (logout-all call to every connection closed): {clock.ElapsedMilliseconds} ms");
            Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatusAsync(tokens.AccessToken));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task GlobalBanClosesTheUsersConnectionsAndRefusesTheirOldToken()
    {
        var (username, tokens) = await NewLoggedInUserAsync();
        var adminPassword = system.Parameter("initial-admin-password");
        var admin = await LoginAsync("admin", adminPassword);
        var clients = await ConnectOnEveryReplicaAsync(tokens.AccessToken);
        try
        {
            using var api = system.CreateHttpClient("api");
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
            using var response = await api.PostAsJsonAsync($"/api/admin/users/{tokens.User.Id}/ban", new BanRequest("spam"));
            Assert.True(response.IsSuccessStatusCode, $"ban of {username} answered {(int)response.StatusCode}");

            foreach (var client in clients)
            {
                await Eventually.UntilAsync(() => client.Client.RevokedReason == "banned", "the banned user's connection to close", Deadline);
            }
            Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatusAsync(tokens.AccessToken));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AdminAnnouncementReachesTheRoomThroughTheHttpBridge()
    {
        var adminPassword = system.Parameter("initial-admin-password");
        var admin = await LoginAsync("admin", adminPassword);
        var (_, viewer) = await NewLoggedInUserAsync();
        var room = TestRooms.NewStreamRoom();
        await using var client = await LiveClients.ConnectAsync(system.Endpoint("realtime"), () => viewer.AccessToken);
        await client.Client.JoinAsync([room]);
        using var api = system.CreateHttpClient("api");

        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", viewer.AccessToken);
        using (var forbidden = await api.PostAsJsonAsync($"/api/rooms/{room}/events", new { type = "system.announcement", data = new { text = "x" } }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", admin.AccessToken);
        using (var forged = await api.PostAsJsonAsync($"/api/rooms/{room}/events", new { type = "tip.received", data = new { amount = 1000 } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        using var ok = await api.PostAsJsonAsync($"/api/rooms/{room}/events", new { type = "system.announcement", data = new { text = "Maintenance at noon" } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var published = await ok.Content.ReadFromJsonAsync<JsonElement>();

        await client.WaitForSeqAsync(room, published.GetProperty("seq").GetInt64());
        var received = Assert.Single(client.In(room), e => e.Type != EventTypes.PresenceCount); // counts come from joining
        Assert.Equal("system.announcement", received.Type);
        Assert.Equal(published.GetProperty("id").GetString(), received.Id);
        Assert.Equal("Maintenance at noon", received.Data.GetProperty("text").GetString());
    }
}
