using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime.Delivery;

/// <summary>Numbered events across replicas, and gap-free resume (docs/architecture.md section 3).</summary>
[Collection(SystemCollection.Name)]
public sealed class RoomDeliveryTests(AppHostFixture system) : RealtimeTestBase(system)
{
    [Fact]
    public async Task ClientsOnBothReplicasReceiveEveryEventInSeqOrderOnce()
    {
        var room = TestRooms.NewStreamRoom();
        await using var a = await ConnectAsync(Replica(0));
        await using var b = await ConnectAsync(Replica(1));
        Assert.Equal(System.Part("realtime", 0).Id, (await a.Client.PingAsync()).Replica);
        Assert.Equal(System.Part("realtime", 1).Id, (await b.Client.PingAsync()).Replica);
        Assert.True((await a.Client.JoinAsync([room]))[room].Recovered);
        Assert.True((await b.Client.JoinAsync([room]))[room].Recovered);

        var published = await Rooms.PublishManyAsync(room, 50);
        var again = await Rooms.PublishAsync(room, 999, published[10].Id); // the same event relayed twice

        Assert.True(again.Duplicate);
        Assert.Equal(published[10].Seq, again.Seq);
        // Increasing by one: the service's own viewer counts are ephemeral and take no seq.
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), published.Select(p => p.Seq));
        await a.WaitForSeqAsync(room, 50);
        await b.WaitForSeqAsync(room, 50);
        var marker = await Rooms.PublishAsync(room, 51); // anything after the duplicate arrives too: nothing was stuck
        await a.WaitForSeqAsync(room, marker.Seq);
        await b.WaitForSeqAsync(room, marker.Seq);
        LiveClients.AssertExactly(a.In(room), 1, 51);
        LiveClients.AssertExactly(b.In(room), 1, 51);
    }

    [Fact]
    public async Task ABigRoomCollectedOverItsCoalescingWindowDeliversEveryBurstAndEveryQuietPeriodBetween()
    {
        // Three members on one replica: a "big" room in the test system (Delivery:CoalesceMinMembers = 2), so its events
        // are collected over the window, and each quiet period lets a window end with nothing new behind it.
        var room = TestRooms.NewStreamRoom();
        var clients = new List<CollectingClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = await ConnectAsync(Replica(0));
                clients.Add(client);
                await client.Client.JoinAsync([room]);
            }
            var seq = 0L;
            foreach (var burst in new[] { 1, 7, 1, 30, 2 })
            {
                foreach (var result in await Rooms.PublishManyAsync(room, burst, startAt: (int)seq + 1))
                {
                    seq = result.Seq;
                }
                foreach (var client in clients)
                {
                    await client.WaitForSeqAsync(room, seq); // the burst arrived: the replica is idle again
                }
            }
            Assert.Equal(41, seq);
            foreach (var client in clients)
            {
                LiveClients.AssertExactly(client.In(room), 1, seq);
            }
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
    public async Task ClientOfflineWhileHundredEventsArePublishedResumesWithAllInOrder()
    {
        var room = TestRooms.NewStreamRoom();
        var user = await SystemTokens.NewUserAsync(System);
        RoomPosition position;
        await using (var first = await ConnectAsync(System.Endpoint("realtime"), user))
        {
            var joined = (await first.Client.JoinAsync([room]))[room];
            await Rooms.PublishManyAsync(room, 5);
            await first.WaitForSeqAsync(room, 5);
            position = new RoomPosition(5, joined.Epoch!);
        }

        await Rooms.PublishManyAsync(room, 100, startAt: 6);

        await using var second = await ConnectAsync(System.Endpoint("realtime"), user);
        var resumed = (await second.Client.JoinAsync(new Dictionary<string, RoomPosition?> { [room] = position }))[room];
        Assert.True(resumed.Recovered);
        Assert.Equal(position.Epoch, resumed.Epoch);
        await second.WaitForSeqAsync(room, 105);
        var last = await Rooms.PublishAsync(room, 106);
        await second.WaitForSeqAsync(room, last.Seq);
        LiveClients.AssertExactly(second.In(room), 6, 106);
    }

    [Fact]
    public async Task AReplicaIsSubscribedToARoomOnlyWhileItHasLocalMembers()
    {
        var room = TestRooms.NewStreamRoom();
        var channel = LiveAspire.Rooms.RoomKeys.Channel(room);
        var multiplexer = Rooms.Redis;
        async Task<long> Subscribers()
        {
            var reply = (StackExchange.Redis.RedisResult[])(await multiplexer.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
            return (long)reply[1];
        }

        Assert.Equal(0, await Subscribers());
        await using var a = await ConnectAsync(Replica(0));
        await using var a2 = await ConnectAsync(Replica(0));
        await a.Client.JoinAsync([room]);
        await a2.Client.JoinAsync([room]);
        Assert.Equal(1, await Subscribers()); // one subscription per replica, however many local members

        await using var b = await ConnectAsync(Replica(1));
        await b.Client.JoinAsync([room]);
        Assert.Equal(2, await Subscribers());

        await a.Client.LeaveAsync(room);
        await b.Client.LeaveAsync(room);
        await Eventually.UntilAsync(async () => await Subscribers() == 1, "replica 1 to unsubscribe when its last member left");
        await a2.DisposeAsync();
        await Eventually.UntilAsync(async () => await Subscribers() == 0, "replica 0 to unsubscribe when its last member disconnected");
    }

    [Fact]
    public async Task JoinStreamFromAPositionReplaysTheRestThenGoesLive()
    {
        var channel = Guid.NewGuid();
        var room = $"stream:{channel:D}";
        var published = await Rooms.PublishManyAsync(room, 8);
        await using var client = await ConnectAsync(System.Endpoint("realtime"));

        var result = await client.Client.InvokeAsync<ResumeResult>(LiveHubContract.JoinStream, channel.ToString("D"), 5L, published[0].Epoch);
        await Rooms.PublishAsync(room, 9);

        Assert.True(result.Recovered);
        await client.WaitForSeqAsync(room, 9);
        LiveClients.AssertExactly(client.In(room), 6, 9);
        var bad = await client.Client.InvokeAsync<ResumeResult>(LiveHubContract.JoinStream, "not-a-channel", null, null);
        Assert.Equal("room_invalid", bad.Error);
    }

    [Fact]
    public async Task PositionOlderThanTheHotWindowIsNotRecovered()
    {
        var room = TestRooms.NewStreamRoom();
        await using var small = await TestRooms.ConnectAsync(System.ConnectionString("redis"), hotWindow: 20);
        var first = await small.PublishAsync(room, 1);
        await small.PublishManyAsync(room, 40, startAt: 2); // seq 1..21 are trimmed away

        await using var client = await ConnectAsync(System.Endpoint("realtime"));
        var result = (await client.Client.JoinAsync(new Dictionary<string, RoomPosition?> { [room] = new(1, first.Epoch) }))[room];

        Assert.False(result.Recovered);
        Assert.Equal(first.Epoch, result.Epoch);
        Assert.Equal(41, result.Seq);
        var last = await small.PublishAsync(room, 42);
        await client.WaitForSeqAsync(room, last.Seq);
        LiveClients.AssertExactly(client.In(room), 42, 42); // no partial replay: the client resets, then goes live
    }

    [Fact]
    public async Task StaleEpochIsNotRecovered()
    {
        var room = TestRooms.NewStreamRoom();
        var published = await Rooms.PublishManyAsync(room, 3);

        await using var client = await ConnectAsync(System.Endpoint("realtime"));
        var result = (await client.Client.JoinAsync(new Dictionary<string, RoomPosition?> { [room] = new(1, "not-the-epoch") }))[room];

        Assert.False(result.Recovered);
        Assert.Equal(published[0].Epoch, result.Epoch);
        Assert.Equal(3, result.Seq);
    }

    [Fact]
    public async Task RoomsTheUserMayNotReadAreRefusedPerRoom()
    {
        var me = await SystemTokens.NewUserAsync(System);
        await using var client = await ConnectAsync(System.Endpoint("realtime"), me);
        var mine = $"user:{me:D}";
        var theirs = $"user:{Guid.NewGuid():D}";
        var mod = $"mod:{Guid.NewGuid():D}";

        var results = await client.Client.JoinAsync([mine, theirs, mod, "stream:NOT-A-GUID"]);

        Assert.Null(results[mine].Error);
        Assert.Equal("room_forbidden", results[theirs].Error);
        Assert.Equal("room_forbidden", results[mod].Error);
        Assert.Equal("room_invalid", results["stream:NOT-A-GUID"].Error);
    }
}
