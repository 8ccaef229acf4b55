using LiveAspire.AppHost.Orchestration;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Infrastructure.Faults;
using LiveAspire.Infrastructure.Rooms;
using LiveAspire.Tests.Infrastructure;
using Xunit;

namespace LiveAspire.Tests.Realtime;

/// <summary>Resume under faults: a pause at the worst moment, a replica killed, Redis restarted.</summary>
[Collection(SystemCollection.Name)]
public sealed class ResumeFaultTests(AppHostFixture system) : RealtimeTestBase(system)
{
    [Fact]
    public async Task PauseBetweenReplayAndLiveWhileEventsKeepArrivingLosesAndRepeatsNothing()
    {
        var room = TestRooms.NewStreamRoom();
        var first = await Rooms.PublishManyAsync(room, 10);
        var hook = FaultHookNames.ResumeBetweenReplayAndLive;
        var arm = Path.Combine(System.FaultDirectory, $"{hook}.arm");
        var reached = Path.Combine(System.FaultDirectory, $"{hook}.reached");
        var release = Path.Combine(System.FaultDirectory, $"{hook}.release");
        await File.WriteAllTextAsync(arm, $"wait\ncontext={room}");
        try
        {
            await using var client = await ConnectAsync(System.Endpoint("realtime"));
            var join = client.Client.JoinAsync(new Dictionary<string, RoomPosition?> { [room] = new(3, first[0].Epoch) });

            // The replica stands between replay (4..10) and live: publish while it waits.
            await Eventually.UntilAsync(() => File.Exists(reached) && File.ReadAllText(reached) == room, "the resume to reach the hook");
            await Rooms.PublishManyAsync(room, 20, startAt: 11);
            await File.WriteAllTextAsync(release, "");

            var result = (await join.WaitAsync(TimeSpan.FromSeconds(60)))[room];
            Assert.True(result.Recovered);
            await client.WaitForSeqAsync(room, 30);
            await Rooms.PublishAsync(room, 31);
            await client.WaitForSeqAsync(room, 31);
            LiveClients.AssertExactly(client.In(room), 4, 31);
        }
        finally
        {
            File.Delete(arm);
            File.Delete(reached);
            File.Delete(release);
        }
    }

    [Fact]
    public async Task KillingAReplicaWhilePublishingClientsReconnectThroughTheProxyWithZeroGaps()
    {
        var room = TestRooms.NewStreamRoom();
        var clients = new List<CollectingClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var client = await ConnectAsync(System.Endpoint("realtime"));
                await client.Client.JoinAsync([room]);
                clients.Add(client);
            }
            var runner = System.App.Orchestrator.GetRunner("realtime");
            var victim = runner.Replicas[0];
            var restarts = victim.Restarts;

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
            victim.Kill();
            await publishing.WaitAsync(TimeSpan.FromSeconds(120));

            foreach (var client in clients)
            {
                await client.WaitForSeqAsync(room, total, TimeSpan.FromSeconds(90));
                LiveClients.AssertExactly(client.In(room), 1, total);
            }
            Assert.Contains(clients, c => c.Client.Counters.Reconnects > 0);
            await Eventually.UntilAsync(() => victim.Restarts > restarts && victim.Health == HealthStatus.Healthy, "the killed replica back");
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
    public async Task GracefulShutdownOfAReplicaMovesItsClientsToTheOtherWithoutAGap()
    {
        var room = TestRooms.NewStreamRoom();
        var runner = System.App.Orchestrator.GetRunner("realtime");
        var leaving = runner.Replicas[0];
        var clients = new List<CollectingClient>();
        var asked = 0;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = await ConnectAsync(Replica(0)); // pinned to the replica that stops
                client.Client.ReconnectRequested += reason => { if (reason == "shutdown") { Interlocked.Increment(ref asked); } };
                await client.Client.JoinAsync([room]);
                clients.Add(client);
            }
            const int total = 150;
            var restarts = leaving.Restarts;
            var publishing = Task.Run(async () =>
            {
                for (var i = 1; i <= total; i++)
                {
                    await Rooms.PublishAsync(room, i);
                    await Task.Delay(10);
                }
            });
            await Eventually.UntilAsync(async () => (await Rooms.History.ReadAsync(room, null)).Seq >= 40, "publishing under way");
            leaving.Signal(PosixSignals.SigTerm);
            await publishing.WaitAsync(TimeSpan.FromSeconds(120));

            foreach (var client in clients)
            {
                await client.WaitForSeqAsync(room, total, TimeSpan.FromSeconds(90));
                LiveClients.AssertExactly(client.In(room), 1, total);
                Assert.Equal(LiveAspire.Client.LiveHubState.Connected, client.Client.State);
            }
            Assert.Equal(clients.Count, Volatile.Read(ref asked));
            await Eventually.UntilAsync(() => leaving.Restarts > restarts && leaving.Health == HealthStatus.Healthy, "the stopped replica back");
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
    public async Task RedisRestartedUnderLiveClientsDeliveryResumesWithoutRestartingAnyService()
    {
        var room = TestRooms.NewStreamRoom();
        var runner = System.App.Orchestrator.GetRunner("realtime");
        await using var a = await ConnectAsync(new Uri($"http://127.0.0.1:{runner.Replicas[0].Port}"));
        await using var b = await ConnectAsync(new Uri($"http://127.0.0.1:{runner.Replicas[1].Port}"));
        await a.Client.JoinAsync([room]);
        await b.Client.JoinAsync([room]);
        var before = await Rooms.PublishManyAsync(room, 10);
        await a.WaitForSeqAsync(room, 10);
        await b.WaitForSeqAsync(room, 10);
        var serviceRestarts = System.App.Orchestrator.Runners.Where(r => r.Resource is LiveAspire.AppHost.Hosting.ProjectResource)
            .SelectMany(r => r.Replicas).ToDictionary(r => r.Id, r => r.Restarts);

        var redis = System.App.Orchestrator.GetRunner("redis").Replicas[0];
        redis.HoldRestarts();
        try
        {
            redis.Signal(PosixSignals.SigTerm);
            await Eventually.UntilAsync(() => redis.Pid is null, "Redis to stop");

            // While Redis is down a publish fails fast with the documented retryable error, publishing nothing.
            var started = DateTime.UtcNow;
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    await Rooms.PublishAsync(room, 1000);
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
            redis.ReleaseRestarts();
        }
        await Eventually.UntilAsync(() => redis.Health == HealthStatus.Healthy, "Redis back");

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
        foreach (var replica in System.App.Orchestrator.Runners.Where(r => r.Resource is LiveAspire.AppHost.Hosting.ProjectResource).SelectMany(r => r.Replicas))
        {
            Assert.Equal(serviceRestarts[replica.Id], replica.Restarts);
        }
    }
}
