using LiveAspire.Contracts.Realtime;
using LiveAspire.Hosting;
using LiveAspire.Rooms;

namespace LiveAspire.Tests.Realtime.Delivery;

/// <summary>Resume under faults: a pause at the worst moment, a replica killed, Redis restarted, Redis's data lost.</summary>
[Collection(SystemCollection.Name)]
public sealed class ResumeFaultTests(AppHostFixture system) : RealtimeTestBase(system)
{
    [Fact]
    public async Task PauseBetweenReplayAndLiveWhileEventsKeepArrivingLosesAndRepeatsNothing()
    {
        var room = TestRooms.NewStreamRoom();
        var first = await Rooms.PublishManyAsync(room, 10);
        using var hook = await WaitingFaultHook.ArmAsync(System.FaultDirectory, FaultHookNames.ResumeBetweenReplayAndLive, room);
        await using var client = await ConnectAsync(System.Endpoint("realtime"));
        var join = client.Client.JoinAsync(new Dictionary<string, RoomPosition?> { [room] = new(3, first[0].Epoch) });

        // The replica stands between replay (4..10) and live: publish while it waits.
        await hook.ReachedAsync("the resume to reach the hook");
        await Rooms.PublishManyAsync(room, 20, startAt: 11);
        await hook.ReleaseAsync();

        var result = (await join.WaitAsync(TimeSpan.FromSeconds(60)))[room];
        Assert.True(result.Recovered);
        await client.WaitForSeqAsync(room, 30);
        await Rooms.PublishAsync(room, 31);
        await client.WaitForSeqAsync(room, 31);
        LiveClients.AssertExactly(client.In(room), 4, 31);
    }

    /// <summary>
    /// A client connected through the proxy (so its reconnects go through it too, to whichever replica is up) that
    /// landed on <paramref name="replica"/>. The proxy picks the replica: connect until one lands there (bounded).
    /// </summary>
    private async Task<CollectingClient> ConnectThroughProxyAsync(SystemPart replica)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var client = await ConnectAsync(System.Endpoint("realtime"));
            if ((await client.Client.PingAsync()).Replica == replica.Id)
            {
                return client;
            }
            await client.DisposeAsync();
        }
        throw new InvalidOperationException($"20 connections through the proxy, none landed on {replica.Id}");
    }

    private SystemPart ReplicaOf(PingReply ping) => System.Parts("realtime").Single(p => p.Id == ping.Replica);

    [Fact]
    public async Task KillingAReplicaWhilePublishingClientsReconnectThroughTheProxyWithZeroGaps()
    {
        var room = TestRooms.NewStreamRoom();
        var clients = new List<CollectingClient>();
        SystemPart? victim = null;
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var client = await ConnectAsync(System.Endpoint("realtime"));
                await client.Client.JoinAsync([room]);
                clients.Add(client);
            }
            // The replica the first client landed on: at least one client must lose its connection.
            victim = ReplicaOf(await clients[0].Client.PingAsync());

            const int total = 200;
            var publishing = Task.Run(async () =>
            {
                for (var i = 1; i <= total; i++)
                {
                    await Rooms.PublishAsync(room, i);
                    await Task.Delay(10); // spread over a few seconds so the kill lands mid-stream
                }
            });
            await Eventually.UntilAsync(async () => (await Rooms.History.ReadAsync(room, null)).Seq >= 50, "publishing under way");
            await victim.KillAsync();
            await publishing.WaitAsync(TimeSpan.FromSeconds(120));

            foreach (var client in clients)
            {
                await client.WaitForSeqAsync(room, total, TimeSpan.FromSeconds(90));
                LiveClients.AssertExactly(client.In(room), 1, total);
            }
            Assert.Contains(clients, c => c.Client.Counters.Reconnects > 0);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
            // Aspire never restarts a process that exits: the shared system gets its replica back here.
            if (victim is { Pid: null })
            {
                await victim.StartAsync();
            }
        }
    }

    [Fact]
    public async Task GracefulShutdownOfAReplicaMovesItsClientsToTheOtherWithoutAGap()
    {
        var room = TestRooms.NewStreamRoom();
        var leaving = System.Part("realtime", 0);
        var clients = new List<CollectingClient>();
        var asked = 0;
        Task stopped = Task.CompletedTask;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                // On the replica that stops, through the proxy: told to reconnect, they land on the other one.
                var client = await ConnectThroughProxyAsync(leaving);
                client.Client.ReconnectRequested += reason => { if (reason == ReconnectReasons.Shutdown) { Interlocked.Increment(ref asked); } };
                await client.Client.JoinAsync([room]);
                clients.Add(client);
            }
            const int total = 150;
            var publishing = Task.Run(async () =>
            {
                for (var i = 1; i <= total; i++)
                {
                    await Rooms.PublishAsync(room, i);
                    await Task.Delay(10);
                }
            });
            await Eventually.UntilAsync(async () => (await Rooms.History.ReadAsync(room, null)).Seq >= 40, "publishing under way");
            stopped = leaving.StopAsync(); // SIGTERM, as a deploy sends; the drain runs while publishing goes on
            await publishing.WaitAsync(TimeSpan.FromSeconds(120));
            await stopped;

            foreach (var client in clients)
            {
                await client.WaitForSeqAsync(room, total, TimeSpan.FromSeconds(90));
                LiveClients.AssertExactly(client.In(room), 1, total);
                Assert.Equal(LiveAspire.Client.LiveHubState.Connected, client.Client.State);
                Assert.NotEqual(leaving.Id, (await client.Client.PingAsync()).Replica);
            }
            Assert.Equal(clients.Count, Volatile.Read(ref asked));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
            await stopped.WaitAsync(TimeSpan.FromSeconds(90));
            if (leaving.Pid is null)
            {
                await leaving.StartAsync();
            }
        }
    }

    [Fact]
    public async Task RedisRestartedUnderLiveClientsDeliveryResumesWithoutRestartingAnyService()
    {
        var room = TestRooms.NewStreamRoom();
        await using var a = await ConnectAsync(Replica(0));
        await using var b = await ConnectAsync(Replica(1));
        await a.Client.JoinAsync([room]);
        await b.Client.JoinAsync([room]);
        var before = await Rooms.PublishManyAsync(room, 10);
        await a.WaitForSeqAsync(room, 10);
        await b.WaitForSeqAsync(room, 10);
        // Nothing restarts a service behind our back any more, so "no service restarted" is: every replica still runs
        // the process it ran before (a service that exited on the Redis outage would stay down, or come back another).
        var services = new[] { "api", "realtime", "worker", "web" };
        var pidsBefore = services.SelectMany(System.Parts).ToDictionary(p => p.Id, p => p.Pid);
        Assert.All(pidsBefore, p => Assert.NotNull(p.Value));

        var redis = System.Part("redis");
        try
        {
            await redis.StopAsync();

            // While Redis is down a publish fails fast with the documented retryable error, publishing nothing.
            var started = DateTime.UtcNow;
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    await Rooms.PublishOnceAsync(room, 1000);
                    return false;
                }
                catch (RoomStoreUnavailableException e)
                {
                    Assert.Equal("redis_unavailable", RoomStoreUnavailableException.Code);
                    return e is not null;
                }
            }, "a publish to fail with redis_unavailable");
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "publishing did not fail fast");
        }
        finally
        {
            if (redis.Pid is null)
            {
                await redis.StartAsync();
            }
        }

        // Delivery resumes by itself once the replicas' subscriptions are back; publish until the clients see it.
        long last = 10;
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                last = (await Rooms.PublishAsync(room, (int)last + 1)).Seq;
            }
            catch (RoomStoreUnavailableException)
            {
                return false; // this test's own Redis client is still reconnecting
            }
            return a.In(room).Any(e => e.Seq == last) && b.In(room).Any(e => e.Seq == last);
        }, "delivery after the Redis restart", TimeSpan.FromSeconds(60));

        foreach (var client in new[] { a, b })
        {
            var events = client.In(room);
            // The append-only file kept the room: same epoch, numbering continues, no seq reused or skipped.
            Assert.All(events.Where(e => e.Seq != LiveHubContract.EphemeralSeq), e => Assert.Equal(before[0].Epoch, e.Epoch));
            LiveClients.AssertExactly(events, 1, last);
        }
        var pidsAfter = services.SelectMany(System.Parts).ToDictionary(p => p.Id, p => p.Pid);
        Assert.Equal(pidsBefore, pidsAfter);
    }

    [Fact]
    public async Task RedisThatLostItsDataStartsTheRoomInANewEpochThatLiveAndReturningClientsFollow()
    {
        var room = TestRooms.NewStreamRoom();
        await using var live = await ConnectAsync(Replica(0));
        await live.Client.JoinAsync([room]);
        var before = await Rooms.PublishManyAsync(room, 5);
        await live.WaitForSeqAsync(room, 5);

        await System.WipeRedisAsync();

        // The room's history and numbering are gone: its next event starts a new epoch at seq 1 (docs/events.md).
        var restarted = await Rooms.PublishAsync(room, 6);
        Assert.NotEqual(before[0].Epoch, restarted.Epoch);
        Assert.Equal(1, restarted.Seq);

        // The connected client follows the new epoch by itself (it resets the room, protocol.md); publish until it has.
        var last = restarted.Seq;
        await Eventually.UntilAsync(async () =>
        {
            last = (await Rooms.PublishAsync(room, 6 + (int)last)).Seq;
            return live.In(room).Any(e => e.Epoch == restarted.Epoch && e.Seq == last);
        }, "the live client to receive the new epoch's events");
        var events = live.In(room).Where(e => e.Seq != LiveHubContract.EphemeralSeq).ToList();
        LiveClients.AssertExactly([.. events.Where(e => e.Epoch == before[0].Epoch)], 1, 5);
        var afterLoss = events.Where(e => e.Epoch == restarted.Epoch).ToList();
        Assert.Equal(events.Count, 5 + afterLoss.Count); // nothing of any third epoch
        // From where it reset, the new epoch arrives in order, once each, up to the last event published.
        LiveClients.AssertExactly(afterLoss, afterLoss[0].Seq, last);

        // A client coming back with its old position is told the history is gone, with the room's new position.
        await using var returning = await ConnectAsync(Replica(1));
        var result = (await returning.Client.JoinAsync(new Dictionary<string, RoomPosition?> { [room] = new(5, before[0].Epoch) }))[room];
        Assert.False(result.Recovered);
        Assert.Equal(restarted.Epoch, result.Epoch);
        Assert.Equal(last, result.Seq);
    }
}
