using System.Diagnostics;
using System.Net.Http.Headers;
using LiveAspire.Access;
using LiveAspire.Contracts.Channels;
using LiveAspire.Contracts.Errors;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Api.Http;

/// <summary>
/// PostgreSQL stopped for 10 s while the system runs, on the shared system (docs/accounts.md, "When PostgreSQL is
/// unavailable"): the Api answers 503 <c>database_unavailable</c> at once, never a 500 or a hung request; nothing it
/// acknowledged is lost; the Worker's relay publishes every event once when the database is back. Realtime answers
/// the same way: a new hub connection whose session the Redis cache does not hold is refused with 503
/// <c>database_unavailable</c> (the edge's <c>{code, message}</c> body, <c>Retry-After</c>), and a hub call whose room
/// check needs PostgreSQL fails with <c>database_unavailable: ...</c>.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DatabaseStoppedTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly TimeSpan StopLength = TimeSpan.FromSeconds(10);

    /// <summary>Far more than a refused connection takes, far less than a hung request (the client waits 30 s).</summary>
    private static readonly TimeSpan Answered = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task PostgresStoppedForTenSecondsGets503DatabaseUnavailableLosesNothingAcknowledgedAndTheRelayCatchesUp()
    {
        var performer = await SystemTokens.NewUserAsync(System);
        using var api = System.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SystemTokens.Mint(System, performer));
        var slug = $"c{Guid.NewGuid():N}"[..20];
        using var created = await api.PostAsJsonAsync("/api/channels", new { slug, displayName = $"Channel {slug}", title = "first title" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var channel = (await created.Content.ReadFromJsonAsync<ChannelDto>())!.Id;
        using (var live = await api.PostAsJsonAsync($"/api/channels/{channel}/streams", new { title = "live" }))
        {
            Assert.Equal(HttpStatusCode.Created, live.StatusCode);
        }
        var room = $"stream:{channel}";
        // Each retitle writes the broadcast and its stream.updated outbox row in one transaction.
        Task<HttpResponseMessage> RetitleAsync(string title)
            => api.PatchAsJsonAsync($"/api/channels/{channel}/streams/current", new { title });
        var acknowledged = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            using var response = await RetitleAsync($"before-{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            acknowledged.Add($"before-{i}");
        }

        // A user whose session is not in Redis: created in PostgreSQL only, and never seen by Api or Realtime (nothing
        // read its session, so nothing cached it; the key is deleted all the same). Their connections need PostgreSQL.
        var newcomerId = await SystemTokens.NewUserAsync(System);
        var newcomer = SystemTokens.Mint(System, newcomerId);
        await Rooms.Redis.GetDatabase().KeyDeleteAsync(AccessKeys.Session(newcomerId));
        using var edge0 = new EdgeClient(Replica(0), "127.0.0.1");
        using var edge1 = new EdgeClient(Replica(1), "127.0.0.1");
        // The performer's hub connection, open before the stop (its session is cached now, and stays open through it).
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var performerHub = await RawHubSocket.ConnectAsync(Replica(0), SystemTokens.Mint(System, performer), cts.Token);
        await performerHub.HandshakeAsync(cts.Token);

        var postgres = System.Part("postgres");
        var refused = new List<string>();
        try
        {
            // The last one right as the server stops: acknowledged, and its event most likely not relayed yet.
            using (var response = await RetitleAsync("at-stop"))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                acknowledged.Add("at-stop");
            }
            await postgres.InterruptAsync();
            var stopped = Stopwatch.StartNew();
            // Asked all through the outage: each request is answered quickly, 503 with a code, never a 500.
            for (var n = 1; stopped.Elapsed < StopLength; n++)
            {
                var title = $"during-{n}";
                var asking = Stopwatch.StartNew();
                using var response = await RetitleAsync(title);
                asking.Stop();
                Assert.True(asking.Elapsed < Answered, $"{title} took {asking.Elapsed} to be answered");
                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ApiErrorCodes.DatabaseUnavailable);
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
                refused.Add(title);
                // A new hub connection, over either replica: 503 database_unavailable before the upgrade, never a 500.
                await AssertHubRefusedAsync(n % 2 == 0 ? edge0 : edge1, newcomer, title);
                if (n == 1)
                {
                    await AssertModRoomJoinFailsAsync(performerHub, channel, performer, cts.Token);
                }
                await Task.Delay(250); // a steady trickle of requests through the outage, not a flood
            }
        }
        finally
        {
            if (postgres.Pid is null)
            {
                await postgres.StartAsync();
            }
        }
        Assert.NotEmpty(refused);

        // Back: the Api answers again (its first requests may still meet connections the restart broke: 503 too).
        for (var i = 1; i <= 2; i++)
        {
            var title = $"after-{i}";
            await Eventually.UntilAsync(async () =>
            {
                using var response = await RetitleAsync(title);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ApiErrorCodes.DatabaseUnavailable);
                return false;
            }, $"the Api to accept {title}", TimeSpan.FromSeconds(60));
            acknowledged.Add(title);
        }

        // Nothing acknowledged is lost, nothing refused was written: the broadcast has the last title, and the outbox
        // one row per acknowledged change.
        await using var db = Npgsql.NpgsqlDataSource.Create(System.ConnectionString("livedb"));
        Assert.Equal("after-2", await ScalarAsync<string>(db, "SELECT title FROM streams WHERE channel_id = $1 AND ended_at IS NULL", channel));
        var rows = await TitlesAsync(db, "SELECT data->>'title' FROM outbox WHERE room = $1 AND type = 'stream.updated' ORDER BY id", room);
        Assert.Equal(acknowledged, rows);

        // The relay caught up: every row published, and the room holds each acknowledged change once, in order.
        await Eventually.UntilAsync(async () => await ScalarAsync<long>(db, "SELECT count(*) FROM outbox WHERE room = $1 AND published_at IS NULL", room) == 0,
            "the Worker's relay to publish every row", TimeSpan.FromSeconds(60));
        var history = await Rooms.History.ReadAsync(room, 0);
        var published = history.Envelopes.Select(e => JsonDocument.Parse(e).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "stream.updated")
            .Select(e => e.GetProperty("data").GetProperty("title").GetString()!).ToList();
        Assert.Equal(acknowledged, published);

        // The rest of the system is whole again at once: each Realtime replica takes a new user's connection (its
        // session read meets the connections the restart broke first, and must not answer 500 for them).
        for (var replica = 0; replica < 2; replica++)
        {
            await using var client = await ConnectAsync(Replica(replica));
            Assert.Equal(LiveAspire.Client.LiveHubState.Connected, client.Client.State);
        }
    }

    /// <summary>The negotiate request and the WebSocket upgrade of <paramref name="token"/>'s user, refused at once with
    /// 503 <c>database_unavailable</c> and <c>Retry-After: 1</c>.</summary>
    private static async Task AssertHubRefusedAsync(EdgeClient edge, string token, string during)
    {
        var asking = Stopwatch.StartNew();
        using (var negotiate = await edge.NegotiateAsync(token))
        {
            Assert.True(asking.Elapsed < Answered, $"the hub's negotiate during {during} took {asking.Elapsed} to be answered");
            var body = await negotiate.Content.ReadAsStringAsync();
            Assert.True(negotiate.StatusCode == HttpStatusCode.ServiceUnavailable,
                $"the hub's negotiate during {during} answered {(int)negotiate.StatusCode}: {body}");
            Assert.Equal(TimeSpan.FromSeconds(1), negotiate.Headers.RetryAfter?.Delta);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(HubErrorCodes.DatabaseUnavailable, json.RootElement.GetProperty("code").GetString());
        }
        asking.Restart();
        var upgrade = (await edge.WebSocketAsync(token)).Refused;
        Assert.True(asking.Elapsed < Answered, $"the hub's upgrade during {during} took {asking.Elapsed} to be answered");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, upgrade.Status);
        Assert.Equal(1, upgrade.RetryAfterSeconds);
    }

    /// <summary>
    /// Joining the channel's <c>mod:</c> room needs the performer's channel roles, which are no longer in Redis: the
    /// call fails at once with <c>database_unavailable: ...</c>, and the connection stays open.
    /// </summary>
    private async Task AssertModRoomJoinFailsAsync(RawHubSocket hub, Guid channel, Guid performer, CancellationToken cancellationToken)
    {
        await Rooms.Redis.GetDatabase().KeyDeleteAsync(AccessKeys.ChannelRoles(channel, performer));
        await hub.SendAsync(HubFraming.Invocation("mod", LiveHubContract.Resume, new Dictionary<string, object?> { [$"mod:{channel}"] = null }), cancellationToken);
        await Eventually.UntilAsync(() => hub.CompletionsOf("mod").Count == 1, "the mod: room's join to be answered", Answered);
        var completion = hub.CompletionsOf("mod")[0];
        Assert.True(completion.TryGetProperty("error", out var error), $"the mod: room's join did not fail: {completion}");
        Assert.Contains($"HubException: {HubErrorCodes.DatabaseUnavailable}: ", error.GetString(), StringComparison.Ordinal);
        Assert.False(hub.Closed.IsCompleted, "the connection closed after the failed call");
    }

    private static async Task<T> ScalarAsync<T>(Npgsql.NpgsqlDataSource db, string sql, object parameter)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue(parameter);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<List<string>> TitlesAsync(Npgsql.NpgsqlDataSource db, string sql, object parameter)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.AddWithValue(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        var titles = new List<string>();
        while (await reader.ReadAsync())
        {
            titles.Add(reader.GetString(0));
        }
        return titles;
    }
}
