using LiveAspire.Contracts.Realtime;
using LiveAspire.Hosting;

namespace LiveAspire.Tests.Worker.Outbox;

/// <summary>The outbox relay in the running system: two Workers, real PostgreSQL and Redis, a hub client listening.</summary>
[Collection(SystemCollection.Name)]
public sealed class OutboxRelayTests(AppHostFixture system) : IAsyncLifetime
{
    private readonly OutboxTestSystem _outbox = new(system);
    private TestRooms _rooms = null!;

    public async Task InitializeAsync()
    {
        _rooms = await TestRooms.ConnectAsync(system.ConnectionString("redis"));
        await _outbox.WaitForFullRelayAsync();
    }

    public async Task DisposeAsync() => await _rooms.DisposeAsync();

    private async Task<CollectingClient> JoinAsync(params string[] rooms)
    {
        var user = await SystemTokens.NewUserAsync(system);
        var client = await LiveClients.ConnectAsync(system.Endpoint("realtime"), () => SystemTokens.Mint(system, user));
        await client.Client.JoinAsync(rooms).WaitAsync(TimeSpan.FromSeconds(30));
        return client;
    }

    /// <summary>The client saw every row once, in order, with the rows' event ids and data, in a contiguous seq range;
    /// and the room's hot window holds each row once, so no row took a second seq. (The room is a stream room, so the
    /// client also gets <c>presence.count</c> events; they are ephemeral, take no seq and are not stored.)</summary>
    private async Task AssertDeliveredOnceInOrderAsync(CollectingClient client, (string Room, int N, string Id)[] rows)
    {
        var room = rows[0].Room;
        await Eventually.UntilAsync(() => client.In(room).Count(e => e.Type != EventTypes.PresenceCount) >= rows.Length,
            $"{room}: {rows.Length} rows delivered");
        await Eventually.UntilAsync(async () => (await _outbox.RowStateAsync(rows.Select(r => r.Id))).All(r => r.Published),
            "every row marked published");
        var all = client.In(room);
        LiveClients.AssertExactly(all, 1, rows.Length);
        var events = all.Where(e => e.Type != EventTypes.PresenceCount).ToList();
        Assert.Equal(rows.Select(r => r.Id), events.Select(e => e.Id));
        Assert.Equal(rows.Select(r => r.N), events.Select(e => e.Data.GetProperty("n").GetInt32()));
        Assert.All(events, e => Assert.Equal("test.outbox", e.Type));

        var history = await _rooms.History.ReadAsync(room, 0);
        var stored = history.Envelopes.Select(e => System.Text.Json.JsonDocument.Parse(e).RootElement)
            .Where(e => e.GetProperty("type").GetString() != EventTypes.PresenceCount).ToList();
        Assert.Equal(rows.Select(r => r.Id), stored.Select(e => e.GetProperty("id").GetString()));
        Assert.Equal((long)history.Envelopes.Count, history.Seq);
    }

    [Fact]
    public async Task RowsOfOneRoomReachAClientInOrderOnceEachWithTheirEventIds()
    {
        var room = TestRooms.NewStreamRoom();
        await using var client = await JoinAsync(room);
        var rows = OutboxTestSystem.Rows(room, 10);

        await _outbox.WriteAsync(rows[..4]);
        await _outbox.WriteAsync(rows[4..]);

        await AssertDeliveredOnceInOrderAsync(client, rows);
    }

    [Fact]
    public async Task RelayCrashedAfterPublishingBeforeMarkingRelaysAgainAndEachEventKeepsOneSeq() =>
        await CrashAndRecoverAsync(FaultHookNames.OutboxAfterCommit);

    [Fact]
    public async Task RelayCrashedInTheMiddleOfABatchRelaysAgainAndEachEventKeepsOneSeq() =>
        await CrashAndRecoverAsync(FaultHookNames.OutboxMidBatch);

    private async Task CrashAndRecoverAsync(string hook)
    {
        var room = TestRooms.NewStreamRoom();
        await using var client = await JoinAsync(room);
        var rows = OutboxTestSystem.Rows(room, 5);
        var arm = Path.Combine(system.FaultDirectory, $"{hook}.arm");
        var reached = Path.Combine(system.FaultDirectory, $"{hook}.reached");
        File.Delete(reached);
        var workers = _outbox.Workers;
        await File.WriteAllTextAsync(arm, $"crash\ncontext={room}");
        try
        {
            await _outbox.WriteAsync(rows); // one transaction: one batch of five for the relay
            await OutboxTestSystem.WaitForFileAsync(reached, room, TimeSpan.FromSeconds(60));
        }
        finally
        {
            File.Delete(arm); // the standby relay must get through this time
        }

        // Nothing restarts the crashed Worker: its relay session ends with the process, and the standby takes its locks.
        await Eventually.UntilAsync(() => workers.Any(w => w.Pid is null), "the crash hook to end a worker");
        var crashed = workers.Single(w => w.Pid is null);
        try
        {
            await AssertDeliveredOnceInOrderAsync(client, rows);
            // Proof the crash hit the window under test: the first row was published, then relayed again.
            Assert.True((await _outbox.RowStateAsync([rows[0].Id]))[0].Attempts >= 2, "the first row was not relayed a second time");
        }
        finally
        {
            File.Delete(reached);
            await crashed.StartAsync();
        }
        await _outbox.WaitForFullRelayAsync();
    }

    [Fact]
    public async Task PerRoomOrderHoldsWithRoomsInterleavedAcrossPartitions()
    {
        var rooms = OutboxTestSystem.RoomsInPartitions(rooms: 6, partitions: 3);
        await using var client = await JoinAsync([.. rooms]);
        var rows = rooms.ToDictionary(r => r, r => OutboxTestSystem.Rows(r, 12));

        // Two writers at once, each owning three rooms (so each room's order is its writer's order, not a race):
        // each round-robins over its rooms in transactions of five rows.
        var writers = new[] { rooms[..3], rooms[3..] }.Select(own => Task.Run(async () =>
        {
            var interleaved = Enumerable.Range(0, 12).SelectMany(i => own.Select(r => rows[r][i]));
            foreach (var chunk in interleaved.Chunk(5))
            {
                await _outbox.WriteAsync(chunk);
            }
        }));
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var room in rooms)
        {
            await AssertDeliveredOnceInOrderAsync(client, rows[room]);
        }
    }

    [Fact]
    public async Task TwoWorkersNeverHoldTheSamePartition()
    {
        var sessions = await _outbox.RelaySessionsAsync();
        Assert.All(_outbox.Workers, w => Assert.Contains(w.Id, sessions)); // both relays are up and trying
        for (var sample = 0; sample < 10; sample++)
        {
            var locks = await _outbox.LocksAsync();
            Assert.Equal(Enumerable.Range(0, OutboxTestSystem.Partitions), locks.Select(l => l.Partition).Order());
            Assert.All(locks, l => Assert.StartsWith("worker-", l.Holder, StringComparison.Ordinal));
            await Task.Delay(100); // sampling over a second, not waiting for anything
        }
    }

    [Fact]
    public async Task StandbyTakesOverWhenTheActiveRelayDies()
    {
        // Whoever holds partition 0 dies (normally one Worker holds all: the first to try takes every lock).
        var holder = (await _outbox.LocksAsync()).Single(l => l.Partition == 0).Holder;
        var victim = _outbox.Workers.Single(w => w.Id == holder);
        var standby = _outbox.Workers.Single(w => w.Id != holder);
        var room = TestRooms.NewStreamRoom();
        await using var client = await JoinAsync(room);
        var rows = OutboxTestSystem.Rows(room, 6);

        try
        {
            await victim.KillAsync();
            await Eventually.UntilAsync(async () =>
            {
                var now = await _outbox.LocksAsync();
                return now.Count == OutboxTestSystem.Partitions && now.All(l => l.Holder == standby.Id);
            }, $"{standby.Id} to hold every partition", TimeSpan.FromSeconds(30));

            await _outbox.WriteAsync(rows[..3]);
            await _outbox.WriteAsync(rows[3..]);
            await AssertDeliveredOnceInOrderAsync(client, rows);
            Assert.Null(victim.Pid);
        }
        finally
        {
            // Aspire never restarts a process that exits: the shared system gets its second Worker back here.
            if (victim.Pid is null)
            {
                await victim.StartAsync();
            }
        }
        await _outbox.WaitForFullRelayAsync();
    }
}
