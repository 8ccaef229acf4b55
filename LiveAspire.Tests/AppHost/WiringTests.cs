using Aspire.Hosting.Testing;
using Npgsql;

namespace LiveAspire.Tests.AppHost;

/// <summary>The wiring is real: each service reaches what the AppHost told it about, by Aspire's names.</summary>
[Collection(SystemCollection.Name)]
public sealed class WiringTests(AppHostFixture system)
{
    private async Task<string> InsertLiveChannelAsync(string displayName)
    {
        // '0' sorts before letters: the channel lands on the first page of the live list however many exist.
        var slug = $"0wire-{Guid.NewGuid():N}"[..20];
        await using var connection = new NpgsqlConnection(system.ConnectionString("livedb"));
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO channels (slug, display_name, title, is_live) VALUES (@slug, @name, 'wiring test', true)", connection);
        insert.Parameters.AddWithValue("slug", slug);
        insert.Parameters.AddWithValue("name", displayName);
        await insert.ExecuteNonQueryAsync();
        return slug;
    }

    [Fact]
    public async Task ApiWritesAndReadsLivedbThroughItsConnectionString()
    {
        await using var connection = new NpgsqlConnection(system.ConnectionString("livedb"));
        await connection.OpenAsync();
        await using var applied = new NpgsqlCommand("SELECT max(version) FROM schema_migrations", connection);
        var schemaVersion = (int)(await applied.ExecuteScalarAsync())!; // written by Api at its start-up
        var slug = await InsertLiveChannelAsync("Wiring Check");

        using var api = system.CreateHttpClient("api");
        var platform = await api.GetFromJsonAsync<JsonElement>("/api/platform");
        var live = await api.GetFromJsonAsync<JsonElement>("/api/channels/live?limit=100");

        Assert.Equal(schemaVersion, platform.GetProperty("schemaVersion").GetInt32());
        Assert.True(platform.GetProperty("channelCount").GetInt64() >= 1);
        Assert.Contains(live.GetProperty("items").EnumerateArray(), c => c.GetProperty("slug").GetString() == slug);
    }

    [Fact]
    public async Task WebHomePageShowsDataThatCameFromApi()
    {
        var name = $"Wired {Guid.NewGuid():N}"[..16];
        var slug = await InsertLiveChannelAsync(name);

        using var web = system.CreateHttpClient("web");
        var page = await web.GetStringAsync("/");

        Assert.Contains(name, page, StringComparison.Ordinal);
        Assert.Contains($"data-slug=\"{slug}\"", page, StringComparison.Ordinal);
        // Browsers are told the realtime proxy's address, not a replica's.
        // Aspire's address of it says localhost (Realtime allows a loopback Web origin under each of its names).
        Assert.Contains($"content=\"{system.App.GetEndpoint("realtime", "http").ToString().TrimEnd('/')}\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealtimeReachesRedisWithThePassword()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var replica in system.Parts("realtime"))
        {
            var health = await http.GetFromJsonAsync<JsonElement>(new Uri(replica.Url!, "/health"));
            Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("StackExchange.Redis").GetString());
        }

        // And the password is what lets it in: Redis refuses a client that does not give it.
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", system.Endpoint("redis", "tcp").Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray());
        using var reader = new StreamReader(stream);
        var answer = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("-NOAUTH", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealtimeProxyEndpointSpreadsConnectionsOverBothReplicas()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 10 && seen.Count < 2; i++)
        {
            // A new client per request: the proxy balances connections, and a pooled one would stick.
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.ConnectionClose = true;
            var replica = await http.GetFromJsonAsync<JsonElement>(new Uri(system.Endpoint("realtime"), "/replica"));
            seen.Add(replica.GetProperty("replica").GetString()!);
        }

        Assert.Equal(system.Parts("realtime").Select(p => p.Id).Order(), seen.Order());
    }

    [Fact]
    public async Task HubAnswersAnAuthenticatedWebSocketThroughTheProxy()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var token = SystemTokens.Mint(system, await SystemTokens.NewUserAsync(system));
        await using var socket = await RawHubSocket.ConnectAsync(system.Endpoint("realtime"), token, cts.Token);

        await socket.HandshakeAsync(cts.Token);
        await socket.SendAsync(HubFraming.Invocation("1", "Ping"), cts.Token);
        await Eventually.UntilAsync(() => socket.CompletionsOf("1").Count == 1, "the Ping's completion", TimeSpan.FromSeconds(30));

        Assert.Equal("{}", socket.Messages[0].GetRawText()); // the handshake's answer: accepted
        var completion = socket.CompletionsOf("1")[0];
        Assert.StartsWith("realtime-", completion.GetProperty("result").GetProperty("replica").GetString(), StringComparison.Ordinal);
    }
}
