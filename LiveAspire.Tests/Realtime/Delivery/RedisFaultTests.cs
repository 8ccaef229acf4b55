using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using LiveAspire.Client;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Errors;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Hosting;
using LiveAspire.Rooms;

namespace LiveAspire.Tests.Realtime.Delivery;

/// <summary>
/// Redis faults under live clients, on the shared system (docs/realtime.md, "Redis faults"): Redis frozen with SIGSTOP
/// for 10 s, and Redis restarted without its data. Each test leaves Redis running and every service connected.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class RedisFaultTests(AppHostFixture system, Xunit.Abstractions.ITestOutputHelper output) : RealtimeTestBase(system)
{
    /// <summary>
    /// The longest a publish or a hub call may take to fail while Redis does not answer, as this test checks it. The
    /// server gives up after <see cref="LiveAspire.Rooms.Redis.RedisClientDefaults.RequestTimeoutMs"/> (1 s) and
    /// answers within about 1 s on an idle machine (the figures are printed); on a loaded 2-core machine the
    /// round trip around that can add more than a second, so the check is "answered while Redis is still frozen, well
    /// before the client's own timeouts": a hung call would last the whole 10 s pause (without the bound an Api
    /// publish took 7.2 s).
    /// </summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan PauseLength = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RedisPausedForTenSecondsFailsPublishesAndHubCallsFastTellsEachClientOnceAndThenEveryClientHasEveryEvent()
    {
        var room = TestRooms.NewStreamRoom();
        var joinedDuringPause = TestRooms.NewStreamRoom(); // its join fails; the client asks again by itself (LiveHubClientTests)
        var users = await SystemTokens.NewUsersAsync(System, 2);
        await using var a = await ConnectAsync(Replica(0), users[0]);
        await using var b = await ConnectAsync(Replica(1), users[1]);
        CollectingClient[] clients = [a, b];
        var errors = clients.ToDictionary(c => c, c => new ConcurrentQueue<LiveHubError>());
        foreach (var client in clients)
        {
            client.Client.ErrorReceived += errors[client].Enqueue;
            await client.Client.JoinAsync([room]);
        }
        using var api = await AdminApiAsync();
        using (var first = await PublishThroughApiAsync(api, room, 1))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        await Rooms.PublishManyAsync(room, 9, startAt: 2);
        foreach (var client in clients)
        {
            await client.WaitForSeqAsync(room, 10);
        }
        // Acknowledged right before the pause, not yet seen by the clients: they must arrive all the same.
        await Rooms.PublishManyAsync(room, 5, startAt: 11);

        var redis = System.Part("redis");
        var paused = Stopwatch.StartNew();
        redis.Pause();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var publishing = Stopwatch.StartNew();
                using var response = await PublishThroughApiAsync(api, room, 100 + i);
                publishing.Stop();
                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ApiErrorCodes.RedisUnavailable);
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal(RoomStoreUnavailableException.RetryAfterMs, problem.GetProperty("retryAfterMs").GetInt32());
                output.WriteLine($"an Api publish failed with redis_unavailable after {publishing.Elapsed.TotalMilliseconds:0} ms");
                Assert.True(publishing.Elapsed < FailFast, $"an Api publish took {publishing.Elapsed} to fail");
            }

            var asking = Stopwatch.StartNew();
            var presence = await Assert.ThrowsAsync<LiveHubInvocationException>(() =>
                a.Client.InvokeAsync<Dictionary<string, bool>>(LiveHubContract.GetPresence, [new[] { users[1].ToString("D") }]));
            Assert.Contains($"{HubErrorCodes.RedisUnavailable}:", presence.Message, StringComparison.Ordinal);
            output.WriteLine($"GetPresence failed with redis_unavailable after {asking.Elapsed.TotalMilliseconds:0} ms");
            Assert.True(asking.Elapsed < FailFast, $"GetPresence took {asking.Elapsed} to fail");

            var joining = Stopwatch.StartNew();
            var join = await b.Client.JoinAsync([joinedDuringPause]);
            Assert.Equal(HubErrorCodes.RedisUnavailable, join[joinedDuringPause].Error);
            output.WriteLine($"a join failed with redis_unavailable after {joining.Elapsed.TotalMilliseconds:0} ms");
            Assert.True(joining.Elapsed < FailFast, $"a join took {joining.Elapsed} to fail");

            await Eventually.UntilAsync(() => clients.All(c => errors[c].Any(e => e.Code == HubErrorCodes.RedisUnavailable)),
                "every connected client to be told that Redis is unavailable", PauseLength);

            // The fault itself lasts its 10 s (what is under test is the system meanwhile, not a wait for a condition).
            if (PauseLength - paused.Elapsed is { Ticks: > 0 } rest)
            {
                await Task.Delay(rest);
            }
        }
        finally
        {
            redis.Continue();
        }

        // After SIGCONT: the publish is retried with its id until Redis takes it (this test's own client may need a
        // moment too, and on a loaded machine a try can outlast the 1 s bound).
        await Rooms.PublishAsync(room, 200, deadline: TimeSpan.FromSeconds(60));
        var last = (await Rooms.PublishManyAsync(room, 10, startAt: 201))[^1].Seq;
        // The room holds every event ever acknowledged (and those the Api gave up on that reached Redis after all):
        // each client has all of them, in order, once each: no gap.
        Assert.Equal(last, (await Rooms.History.ReadAsync(room, null)).Seq);
        foreach (var client in clients)
        {
            await client.WaitForSeqAsync(room, last, TimeSpan.FromSeconds(60));
            LiveClients.AssertExactly(client.In(room), 1, last);
        }

        // The room whose join failed during the pause: the client kept it and asks again every RoomRetryDelay until
        // the server joins it. That join is live only (the client asked for no position), so it starts at the room's
        // head: what is published once the client holds the room must reach it, every event, once, in order.
        await Eventually.UntilAsync(() => b.Client.Positions.TryGetValue(joinedDuringPause, out var position) && position is not null,
            "the client to be in the room it asked for during the pause", TimeSpan.FromSeconds(60));
        var joinedAt = b.Client.Positions[joinedDuringPause]!.Seq;
        var later = (await Rooms.PublishManyAsync(joinedDuringPause, 5))[^1].Seq;
        await b.WaitForSeqAsync(joinedDuringPause, later, TimeSpan.FromSeconds(30));
        LiveClients.AssertExactly(b.In(joinedDuringPause), joinedAt + 1, later);

        // One Error per client for the whole outage, with a retry hint.
        foreach (var client in clients)
        {
            var told = errors[client].Where(e => e.Code == HubErrorCodes.RedisUnavailable).ToList();
            Assert.Single(told);
            Assert.True(told[0].RetryAfterMs > 0, $"retryAfterMs {told[0].RetryAfterMs}");
        }
    }

    /// <summary>
    /// A join under way when Redis comes back holds the room it answers for. Every member of the replica catches up
    /// then (the subscription connection was restored here; the end of a pause does the same), and so did the
    /// membership of a join that had subscribed but not read the room yet: with no position it looked lost, was closed
    /// with a <c>room.gap</c> and left the room, while the join went on to answer that it held it. The client, whose
    /// resume was in flight, dropped that gap, and nothing published in the room reached it again (seen now and then
    /// in the pause test above). The fault hook holds the join at exactly that point.
    /// </summary>
    [Fact]
    public async Task AJoinUnderWayWhenTheSubscriptionConnectionComesBackHoldsTheRoomItAnswersForAndGetsEveryEventAfterwards()
    {
        var room = TestRooms.NewStreamRoom();
        var replica = System.Part("realtime", 1);
        using var hook = await WaitingFaultHook.ArmAsync(System.FaultDirectory, FaultHookNames.ResumeAfterSubscribe, room);
        await using var client = await ConnectAsync(Replica(1));
        var join = client.Client.JoinAsync([room]);
        await hook.ReachedAsync("the join to be subscribed to the room and not to have read it yet");

        var resyncs = await ResyncsAsync(replica);
        await DropSubscriptionConnectionsAsync();
        await Eventually.UntilAsync(async () => await ResyncsAsync(replica) > resyncs,
            "the replica to catch up its members once its subscriptions are back", TimeSpan.FromSeconds(20));
        await hook.ReleaseAsync();

        var result = (await join.WaitAsync(TimeSpan.FromSeconds(30)))[room];
        Assert.Null(result.Error);
        Assert.True(result.Recovered);
        var published = await Rooms.PublishManyAsync(room, 5);
        await client.WaitForSeqAsync(room, published[^1].Seq, TimeSpan.FromSeconds(30));
        LiveClients.AssertExactly(client.In(room), published[0].Seq, published[^1].Seq);
    }

    /// <summary>
    /// A join under way when Redis comes back without the room's history answers as a fresh join would:
    /// <c>recovered:false</c> at the new epoch's head, and everything published from there reaches the client. The
    /// catch-up owed to the join finds the position gone; the join starts the membership at the head it read. Before,
    /// the replica's own catch-up closed the joining membership with a <c>room.gap</c> the waiting client dropped, and
    /// the join answered <c>recovered:true</c> in the lost epoch for a room the replica no longer delivered.
    /// </summary>
    [Fact]
    public async Task AJoinUnderWayWhenRedisComesBackWithoutTheRoomsHistoryAnswersRecoveredFalseAtTheNewHeadAndGetsEveryEventAfterwards()
    {
        var room = TestRooms.NewStreamRoom();
        var before = await Rooms.PublishManyAsync(room, 5);
        var replica = System.Part("realtime", 1);
        using var hook = await WaitingFaultHook.ArmAsync(System.FaultDirectory, FaultHookNames.ResumeBetweenReplayAndLive, room);
        await using var client = await ConnectAsync(Replica(1));
        var join = client.Client.JoinAsync(new Dictionary<string, RoomPosition?> { [room] = new(2, before[0].Epoch) });
        await hook.ReachedAsync("the join to have replayed 3..5 and not to be live yet");

        await System.WipeRedisAsync();
        var resyncs = await ResyncsAsync(replica);
        await DropSubscriptionConnectionsAsync();
        await Eventually.UntilAsync(async () => await ResyncsAsync(replica) > resyncs,
            "the replica to catch up its members once its subscriptions are back", TimeSpan.FromSeconds(20));
        await hook.ReleaseAsync();

        var result = (await join.WaitAsync(TimeSpan.FromSeconds(30)))[room];
        Assert.Null(result.Error);
        Assert.False(result.Recovered);
        Assert.NotEqual(before[0].Epoch, result.Epoch);
        var published = await Rooms.PublishManyAsync(room, 5, startAt: 6);
        Assert.All(published, p => Assert.Equal(result.Epoch, p.Epoch));
        await Eventually.UntilAsync(() => client.In(room).Any(e => e.Epoch == result.Epoch && e.Seq == published[^1].Seq),
            $"the client to receive seq {published[^1].Seq} of the new epoch", TimeSpan.FromSeconds(30));
        LiveClients.AssertExactly([.. client.In(room).Where(e => e.Epoch == before[0].Epoch)], 3, 5);
        LiveClients.AssertExactly([.. client.In(room).Where(e => e.Epoch == result.Epoch)], result.Seq + 1, published[^1].Seq);
        Assert.Equal(new RoomPosition(published[^1].Seq, result.Epoch!), client.Client.Positions[room]);
    }

    /// <summary>How many times <paramref name="replica"/> has caught up its members after Redis came back (its log).</summary>
    private async Task<int> ResyncsAsync(SystemPart replica)
        => (await System.LogLinesByInstanceAsync())[replica.Id].Count(l => l.Contains("Redis came back: catching up", StringComparison.Ordinal));

    /// <summary>Closes every pub/sub connection Redis has (CLIENT KILL TYPE pubsub), as a network blip would: each
    /// replica's client reconnects and subscribes its channels again.</summary>
    private async Task DropSubscriptionConnectionsAsync()
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(System.ConnectionString("redis"));
        options.AllowAdmin = true;
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options).WaitAsync(TimeSpan.FromSeconds(30));
        var killed = 0L;
        foreach (var endpoint in admin.GetEndPoints())
        {
            killed += await admin.GetServer(endpoint).ClientKillAsync(clientType: StackExchange.Redis.ClientType.PubSub).WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.True(killed > 0, "no pub/sub connection to close");
    }

    [Fact]
    public async Task RedisRestartedEmptyStartsTheRoomInANewEpochThatEveryConnectedClientResetsAndNothingIsSilentlyMissing()
    {
        var room = TestRooms.NewStreamRoom();
        var users = await SystemTokens.NewUsersAsync(System, 2);
        await using var a = await ConnectAsync(Replica(0), users[0]);
        await using var b = await ConnectAsync(Replica(1), users[1]);
        CollectingClient[] clients = [a, b];
        var resets = clients.ToDictionary(c => c, c => new ConcurrentQueue<RoomReset>());
        foreach (var client in clients)
        {
            client.Client.RoomReset += resets[client].Enqueue;
            await client.Client.JoinAsync([room]);
        }
        var before = await Rooms.PublishManyAsync(room, 5);
        foreach (var client in clients)
        {
            await client.WaitForSeqAsync(room, 5);
        }

        await System.RestartRedisEmptyAsync();

        // The room's state is gone: its next event starts a new epoch. (The publish is retried with its id while
        // this test's own Redis client is still reconnecting.)
        var restarted = await Rooms.PublishAsync(room, 6, deadline: TimeSpan.FromSeconds(60));
        var epoch = restarted.Epoch;
        Assert.NotEqual(before[0].Epoch, epoch);

        // Every connected client resets the room into the new epoch (recovered:false), by itself.
        await Eventually.UntilAsync(() => clients.All(c => resets[c].Any(r => r.Room == room && r.Epoch == epoch)),
            "every client to reset the room into the new epoch", TimeSpan.FromSeconds(60));
        var last = (await Rooms.PublishManyAsync(room, 10, startAt: 7))[^1].Seq;
        Assert.Equal(epoch, (await Rooms.History.ReadAsync(room, null)).Epoch); // no third epoch meanwhile

        foreach (var client in clients)
        {
            await client.WaitForSeqAsync(room, last, TimeSpan.FromSeconds(60));
            var events = client.In(room).Where(e => e.Seq != LiveHubContract.EphemeralSeq).ToList();
            LiveClients.AssertExactly([.. events.Where(e => e.Epoch == before[0].Epoch)], 1, 5);
            // From the position it reset to, every event of the new epoch, in order, once each: what it did not get
            // is what the reset told it to reload, nothing else.
            var reset = resets[client].Last(r => r.Room == room && r.Epoch == epoch);
            var afterLoss = events.Where(e => e.Epoch == epoch).ToList();
            Assert.Equal(events.Count, 5 + afterLoss.Count);
            LiveClients.AssertExactly([.. afterLoss.Where(e => e.Seq > reset.Seq)], reset.Seq + 1, last);
            Assert.Equal(new RoomPosition(last, epoch), client.Client.Positions[room]);
        }
    }

    /// <summary>An Api client of a new administrator (the rooms bridge is for administrators).</summary>
    private async Task<HttpClient> AdminApiAsync()
    {
        var admin = await SystemTokens.NewUserAsync(System);
        await using (var db = Npgsql.NpgsqlDataSource.Create(System.ConnectionString("livedb")))
        await using (var promote = db.CreateCommand("UPDATE users SET global_role = 'admin' WHERE id = $1"))
        {
            promote.Parameters.AddWithValue(admin);
            Assert.Equal(1, await promote.ExecuteNonQueryAsync());
        }
        var api = System.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SystemTokens.Mint(System, admin, role: GlobalRoles.Admin));
        return api;
    }

    private static Task<HttpResponseMessage> PublishThroughApiAsync(HttpClient api, string room, int n)
        => api.PostAsJsonAsync($"/api/rooms/{room}/events", new { type = "system.announcement", data = new { n } });
}
