using LiveAspire.Rooms.Redis;
using LiveAspire.Rooms;
using LiveAspire.Realtime.Delivery;
using StackExchange.Redis;

namespace LiveAspire.Tests.Realtime.Delivery;

/// <summary>
/// A replica's room subscriptions against a real Redis: what arrives for a room reaches the dispatcher in the order
/// Redis sent it, and a room that gains a member while its last one leaves stays subscribed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LocalRoomsTests(ApiFixture stores) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private IConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        var options = ConfigurationOptions.Parse(stores.ConnectionString("redis"));
        RedisClientDefaults.Apply(options);
        _redis = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(Deadline);
        // ConnectAsync can return before the subscription connection is up (the options do not abort on a failed
        // connect): on a loaded machine a test's first SUBSCRIBE then met "No connection is active". Wait for it.
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                await _redis.GetSubscriber().PingAsync().WaitAsync(TimeSpan.FromSeconds(5));
                return true;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                return false;
            }
        }, "the subscription connection to answer a PING", Deadline);
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task MessagesOfARoomReachTheDispatcherInTheOrderRedisSentThem()
    {
        var rooms = new LocalRooms(_redis);
        var room = TestRooms.NewStreamRoom();
        await rooms.AddAsync(new RoomMembership(null!, room)).WaitAsync(Deadline);
        const int count = 3000;

        // Pipelined on one connection: Redis receives, and sends to subscribers, in this order.
        var channel = RedisChannel.Literal(RoomKeys.Channel(room));
        await Task.WhenAll(Enumerable.Range(1, count).Select(n => _redis.GetSubscriber().PublishAsync(channel, n.ToString()))).WaitAsync(Deadline);

        var received = new List<int>(count);
        using var cts = new CancellationTokenSource(Deadline);
        while (received.Count < count)
        {
            var (from, json) = await rooms.Incoming.ReadAsync(cts.Token);
            Assert.Equal(room, from);
            received.Add(int.Parse(json));
        }
        Assert.Equal(Enumerable.Range(1, count), received);
    }

    [Fact]
    public async Task ARoomJoinedWhileItsLastMemberLeavesStaysSubscribed()
    {
        var rooms = new LocalRooms(_redis);
        var room = TestRooms.NewStreamRoom();
        var channel = RedisChannel.Literal(RoomKeys.Channel(room));
        for (var round = 0; round < 300; round++)
        {
            var leaving = new RoomMembership(null!, room);
            await rooms.AddAsync(leaving).WaitAsync(Deadline);
            var joining = new RoomMembership(null!, room);
            // The last member leaves while a new one joins: the unsubscribe and the subscribe overlap.
            await Task.WhenAll(Task.Run(() => rooms.Remove(leaving)), Task.Run(() => rooms.AddAsync(joining))).WaitAsync(Deadline);

            var marker = $"round-{round}";
            await _redis.GetSubscriber().PublishAsync(channel, marker).WaitAsync(Deadline);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            string json;
            do
            {
                (_, json) = await rooms.Incoming.ReadAsync(cts.Token);
            }
            while (json != marker);
            rooms.Remove(joining);
        }
    }
}
