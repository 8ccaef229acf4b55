using LiveAspire.Rooms;
using Microsoft.Extensions.Options;

namespace LiveAspire.Tests.Rooms;

/// <summary>The room store specification against <see cref="InMemoryRooms"/>, plus what only the in-memory store offers.</summary>
public sealed class InMemoryRoomStoreTests : RoomStoreSpecification
{
    private InMemoryRooms _rooms = new(Options.Create(new RoomOptions()));

    protected override Task<(IRoomPublisher Publisher, IRoomHistory History)> CreateAsync(RoomOptions options)
    {
        _rooms = new InMemoryRooms(Options.Create(options));
        return Task.FromResult<(IRoomPublisher, IRoomHistory)>((_rooms, _rooms));
    }

    protected override Task LoseStateAsync(string room)
    {
        _rooms.LoseState(room);
        return Task.CompletedTask;
    }

    protected override Task SubscribeAsync(string room, Action<string> received)
    {
        _rooms.Subscribe(room, received);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task LosingAllStateStartsANewEpochInEveryRoom()
    {
        string[] rooms = [TestRooms.NewStreamRoom(), TestRooms.NewStreamRoom()];
        var before = await Task.WhenAll(rooms.Select(room => PublishOneAsync(_rooms, room, 1)));

        _rooms.LoseAllState();
        var after = await Task.WhenAll(rooms.Select(room => PublishOneAsync(_rooms, room, 2)));

        Assert.All(after, published => Assert.Equal(1, published.Seq));
        Assert.All(before.Zip(after), pair => Assert.NotEqual(pair.First.Epoch, pair.Second.Epoch));
    }

    [Fact]
    public async Task ASubscriberHasTheEnvelopeWhenThePublishReturnsAndNothingOnceDisposed()
    {
        var room = TestRooms.NewStreamRoom();
        var received = new List<string>();
        var subscription = _rooms.Subscribe(room, received.Add);

        await PublishOneAsync(_rooms, room, 1);
        Assert.Equal([1L], received.Select(SeqOf));
        subscription.Dispose();
        await PublishOneAsync(_rooms, room, 2);

        Assert.Single(received);
    }

    [Fact]
    public async Task ASubscriberThatThrowsStopsNeitherThePublishNorTheOtherSubscribers()
    {
        var room = TestRooms.NewStreamRoom();
        var received = new List<string>();
        _rooms.Subscribe(room, _ => throw new InvalidOperationException("subscriber failure"));
        _rooms.Subscribe(room, received.Add);

        var published = await PublishOneAsync(_rooms, room, 1);

        Assert.Equal(1, published.Seq);
        Assert.Equal([1L], received.Select(SeqOf));
    }

    [Fact]
    public async Task ASubscriberThatPublishesToItsRoomStillReceivesInSeqOrder()
    {
        var room = TestRooms.NewStreamRoom();
        var first = new List<long>();
        var second = new List<long>();
        _rooms.Subscribe(room, envelope =>
        {
            first.Add(SeqOf(envelope));
            if (SeqOf(envelope) < 3)
            {
                _ = PublishOneAsync(_rooms, room, 0);
            }
        });
        _rooms.Subscribe(room, envelope => second.Add(SeqOf(envelope)));

        await PublishOneAsync(_rooms, room, 1);

        Assert.Equal([1L, 2L, 3L], first);
        Assert.Equal([1L, 2L, 3L], second);
    }
}
