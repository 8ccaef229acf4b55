using System.Threading.Channels;
using LiveAspire.Rooms;

namespace LiveAspire.Tests.Rooms;

/// <summary>
/// The guarantees of <see cref="IRoomPublisher"/> and <see cref="IRoomHistory"/>, written once and run against every
/// room store, as ASP.NET Core's HubLifetimeManagerTestBase is for hub lifetime managers: a concrete class says how to
/// make a store, how its rooms lose their state and how to listen to a room.
/// </summary>
public abstract class RoomStoreSpecification
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly string[] EnvelopeFields = ["id", "type", "room", "seq", "epoch", "ts", "data"];

    /// <summary>A store (publisher and history over the same rooms) with these options.</summary>
    protected abstract Task<(IRoomPublisher Publisher, IRoomHistory History)> CreateAsync(RoomOptions options);

    /// <summary>The room's state is gone from the store <see cref="CreateAsync"/> made, as when Redis restarts without its data.</summary>
    protected abstract Task LoseStateAsync(string room);

    /// <summary>Calls <paramref name="received"/> with each envelope text sent to the room from now on, for the rest of the test.</summary>
    protected abstract Task SubscribeAsync(string room, Action<string> received);

    [Fact]
    public async Task EventsAreNumberedFromOneWithoutGapsInOneEpochPerRoom()
    {
        var (publisher, history, room, published) = await RoomAsync(10);
        var other = TestRooms.NewStreamRoom();

        var elsewhere = await PublishAsync(publisher, other, 2);

        Assert.Equal(Seqs(1, 10), published.Select(p => p.Seq));
        Assert.All(published, p => Assert.False(p.Duplicate));
        Assert.All(published, p => Assert.Equal(room, p.Room));
        Assert.Single(published.Select(p => p.Epoch).Distinct());
        Assert.Equal(10, published.Select(p => p.Id).Distinct().Count());
        Assert.Equal(Seqs(1, 2), elsewhere.Select(p => p.Seq));
        var position = await history.ReadAsync(room, null);
        Assert.Equal((published[0].Epoch, 10L, 1L), (position.Epoch, position.Seq, position.FirstSeq));
    }

    [Fact]
    public async Task AReadOfANewRoomStartsTheEpochItsFirstEventGets()
    {
        var (publisher, history, room, _) = await RoomAsync();

        var empty = await history.ReadAsync(room, 0);
        var first = await PublishOneAsync(publisher, room, 1);

        Assert.NotEqual("", empty.Epoch);
        Assert.Equal((0L, 1L), (empty.Seq, empty.FirstSeq));
        Assert.Empty(empty.Envelopes);
        Assert.True(empty.CanResume(empty.Epoch, 0));
        Assert.Equal((empty.Epoch, 1L), (first.Epoch, first.Seq));
    }

    [Fact]
    public async Task PublishesAtOnceGetContiguousSeqsAndReachSubscribersInSeqOrder()
    {
        var (publisher, history, room, _) = await RoomAsync();
        var received = await ListenAsync(room);
        const int count = 100;

        var published = await Task.WhenAll(Enumerable.Range(1, count).Select(n => Task.Run(() => PublishOneAsync(publisher, room, n))));

        Assert.Equal(Seqs(1, count), published.Select(p => p.Seq).Order());
        var sent = await ReceiveAsync(received, count);
        Assert.Equal(Seqs(1, count), sent.Select(SeqOf));
        Assert.Equal((await history.ReadAsync(room, 0)).Envelopes, sent);
    }

    [Fact]
    public async Task RepublishingAnIdOfTheWindowReturnsItsSeqAndSendsNothing()
    {
        var (publisher, history, room, _) = await RoomAsync();
        var received = await ListenAsync(room);

        var first = await PublishOneAsync(publisher, room, 1, "first");
        await PublishOneAsync(publisher, room, 2, "second");
        var again = await PublishOneAsync(publisher, room, 3, "first");
        var next = await PublishOneAsync(publisher, room, 4, "next");

        Assert.Equal(first with { Duplicate = true }, again);
        Assert.Equal((3L, false), (next.Seq, next.Duplicate));
        var sent = await ReceiveAsync(received, 3);
        Assert.Equal(Seqs(1, 3), sent.Select(SeqOf));
        Assert.False(received.TryRead(out _));
        var stored = (await history.ReadAsync(room, 0)).Envelopes;
        Assert.Equal(sent, stored);
        Assert.Equal(1, Parse(stored[0]).GetProperty("data").GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task TheHotWindowKeepsTheLastEventsAndTheirIds()
    {
        const int window = 5;
        var (publisher, history, room, published) = await RoomAsync(window + 3, new RoomOptions { HotWindow = window });
        var epoch = published[0].Epoch;

        var snapshot = await history.ReadAsync(room, 0);
        var fromOlder = await history.ReadAsync(room, 2);

        Assert.Equal((8L, 4L), (snapshot.Seq, snapshot.FirstSeq));
        Assert.Equal(Seqs(4, 5), snapshot.Envelopes.Select(SeqOf));
        Assert.Equal(snapshot.Envelopes, fromOlder.Envelopes);
        Assert.False(fromOlder.CanResume(epoch, 2));
        Assert.True(snapshot.CanResume(epoch, 3));
        Assert.True(snapshot.CanResume(epoch, 8));
        Assert.False(snapshot.CanResume(epoch, 9));

        var leftTheWindow = await PublishOneAsync(publisher, room, 9, published[2].Id);
        Assert.Equal((9L, false), (leftTheWindow.Seq, leftTheWindow.Duplicate));
        var inTheWindow = await PublishOneAsync(publisher, room, 10, published[4].Id);
        Assert.Equal((5L, true), (inTheWindow.Seq, inTheWindow.Duplicate));
        Assert.Equal(Seqs(5, 5), (await history.ReadAsync(room, 0)).Envelopes.Select(SeqOf));
    }

    [Fact]
    public async Task ARoomThatLostItsStateStartsANewEpochFromSeqOne()
    {
        var (publisher, history, room, before) = await RoomAsync(3);
        var oldEpoch = before[0].Epoch;

        await LoseStateAsync(room);
        var after = await PublishOneAsync(publisher, room, 4, before[0].Id);
        var snapshot = await history.ReadAsync(room, 3);

        Assert.Equal((1L, false), (after.Seq, after.Duplicate));
        Assert.NotEqual(oldEpoch, after.Epoch);
        Assert.Equal((after.Epoch, 1L, 1L), (snapshot.Epoch, snapshot.Seq, snapshot.FirstSeq));
        Assert.Empty(snapshot.Envelopes);
        Assert.False(snapshot.CanResume(oldEpoch, 3));
        var stored = Assert.Single((await history.ReadAsync(room, 0)).Envelopes);
        Assert.Equal(after.Epoch, Parse(stored).GetProperty("epoch").GetString());
    }

    [Fact]
    public async Task AReadAfterLostStateStartsTheEpochOfTheNextEvent()
    {
        var (publisher, history, room, before) = await RoomAsync(2);

        await LoseStateAsync(room);
        var position = await history.ReadAsync(room, null);
        var next = await PublishOneAsync(publisher, room, 3);

        Assert.NotEqual(before[0].Epoch, position.Epoch);
        Assert.Equal((0L, 1L), (position.Seq, position.FirstSeq));
        Assert.False(position.CanResume(before[0].Epoch, 2));
        Assert.Equal((position.Epoch, 1L), (next.Epoch, next.Seq));
    }

    [Fact]
    public async Task AReadReturnsExactlyTheEnvelopesAfterASeqInOrder()
    {
        var (_, history, room, published) = await RoomAsync(6);
        var epoch = published[0].Epoch;

        var all = (await history.ReadAsync(room, 0)).Envelopes;

        Assert.Equal(published.Count, all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            var envelope = Parse(all[i]);
            Assert.Equal(EnvelopeFields, envelope.EnumerateObject().Select(p => p.Name));
            Assert.Equal(published[i].Id, envelope.GetProperty("id").GetString());
            Assert.Equal("test.event", envelope.GetProperty("type").GetString());
            Assert.Equal(room, envelope.GetProperty("room").GetString());
            Assert.Equal(i + 1, envelope.GetProperty("seq").GetInt64());
            Assert.Equal(epoch, envelope.GetProperty("epoch").GetString());
            Assert.True(envelope.GetProperty("ts").GetInt64() > 0);
            Assert.Equal(i + 1, envelope.GetProperty("data").GetProperty("n").GetInt32());
        }
        for (var after = 0; after <= 6; after++)
        {
            var snapshot = await history.ReadAsync(room, after);
            Assert.Equal(all.Skip(after), snapshot.Envelopes);
            Assert.True(snapshot.CanResume(epoch, after));
        }
        foreach (long? positionOnly in new long?[] { null, -1 })
        {
            var snapshot = await history.ReadAsync(room, positionOnly);
            Assert.Equal((epoch, 6L, 1L), (snapshot.Epoch, snapshot.Seq, snapshot.FirstSeq));
            Assert.Empty(snapshot.Envelopes);
        }
        var ahead = await history.ReadAsync(room, 7);
        Assert.Empty(ahead.Envelopes);
        Assert.False(ahead.CanResume(epoch, 7));
    }

    [Fact]
    public async Task BadArgumentsAreRefusedAndNothingIsPublished()
    {
        const int maxData = 100;
        var (publisher, history, room, _) = await RoomAsync(options: new RoomOptions { MaxDataBytes = maxData });
        var data = Data(1);
        var tooLarge = JsonSerializer.SerializeToElement(new { text = new string('x', maxData) });
        var largest = JsonSerializer.SerializeToElement(new { text = new string('x', maxData - """{"text":""}""".Length) });
        string[] badRooms = ["", "lobby", "stream:abc", room.ToUpperInvariant(), room.Replace("stream:", "Stream:"), room + ":x"];
        string[] badTypes = ["", "chat", "Chat.message", "chat..message", "chat.message!", ".chat"];

        foreach (var badRoom in badRooms)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishAsync(badRoom, "test.event", data));
            await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishEphemeralAsync(badRoom, "test.event", data));
        }
        foreach (var badType in badTypes)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishAsync(room, badType, data));
            await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishEphemeralAsync(room, badType, data));
        }
        await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishAsync(room, "test.event", data, ""));
        await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishAsync(room, "test.event", data, new string('i', 65)));
        await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishAsync(room, "test.event", tooLarge));
        await Assert.ThrowsAsync<ArgumentException>(() => publisher.PublishEphemeralAsync(room, "test.event", tooLarge));

        Assert.Equal(0, (await history.ReadAsync(room, null)).Seq);
        var longestId = await publisher.PublishAsync(room, "test.event", data, new string('i', 64));
        var largestData = await publisher.PublishAsync(room, "test.event", largest);
        Assert.Equal((1L, 2L), (longestId.Seq, largestData.Seq));
    }

    [Fact]
    public async Task EphemeralEventsAreSentButNeitherNumberedNorStored()
    {
        var (publisher, history, room, _) = await RoomAsync();
        var received = await ListenAsync(room);

        await PublishAsync(publisher, room, 2);
        var id = await publisher.PublishEphemeralAsync(room, "viewers.count", JsonSerializer.SerializeToElement(new { count = 7 }));
        var next = await PublishOneAsync(publisher, room, 3);

        Assert.Equal(3, next.Seq);
        var sent = await ReceiveAsync(received, 4);
        Assert.Equal([1L, 2L, 0L, 3L], sent.Select(SeqOf));
        var ephemeral = Parse(sent[2]);
        Assert.Equal(EnvelopeFields, ephemeral.EnumerateObject().Select(p => p.Name));
        Assert.Equal((id, "viewers.count", room, ""),
            (ephemeral.GetProperty("id").GetString(), ephemeral.GetProperty("type").GetString(),
             ephemeral.GetProperty("room").GetString(), ephemeral.GetProperty("epoch").GetString()));
        Assert.Equal(7, ephemeral.GetProperty("data").GetProperty("count").GetInt32());
        var stored = await history.ReadAsync(room, 0);
        Assert.Equal(3, stored.Seq);
        Assert.Equal([sent[0], sent[1], sent[3]], stored.Envelopes);

        var quiet = TestRooms.NewStreamRoom();
        await publisher.PublishEphemeralAsync(quiet, "viewers.count", JsonSerializer.SerializeToElement(new { count = 1 }));
        Assert.Equal(0, (await history.ReadAsync(quiet, null)).Seq);
    }

    protected static JsonElement Data(int n) => JsonSerializer.SerializeToElement(new { n });

    protected static Task<PublishResult> PublishOneAsync(IRoomPublisher publisher, string room, int n, string? id = null) =>
        publisher.PublishAsync(room, "test.event", Data(n), id);

    protected static JsonElement Parse(string envelope) => JsonDocument.Parse(envelope).RootElement;

    protected static long SeqOf(string envelope) => Parse(envelope).GetProperty("seq").GetInt64();

    protected async Task<ChannelReader<string>> ListenAsync(string room)
    {
        var received = Channel.CreateUnbounded<string>();
        await SubscribeAsync(room, envelope => received.Writer.TryWrite(envelope));
        return received.Reader;
    }

    protected static async Task<List<string>> ReceiveAsync(ChannelReader<string> received, int count)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var envelopes = new List<string>(count);
        while (envelopes.Count < count)
        {
            envelopes.Add(await received.ReadAsync(deadline.Token));
        }
        return envelopes;
    }

    /// <summary>A store with these options (the defaults when null), a fresh room in it, and events 1 to <paramref name="count"/> published there.</summary>
    private async Task<(IRoomPublisher Publisher, IRoomHistory History, string Room, List<PublishResult> Published)> RoomAsync(
        int count = 0, RoomOptions? options = null)
    {
        var (publisher, history) = await CreateAsync(options ?? new RoomOptions());
        var room = TestRooms.NewStreamRoom();
        return (publisher, history, room, await PublishAsync(publisher, room, count));
    }

    private static async Task<List<PublishResult>> PublishAsync(IRoomPublisher publisher, string room, int count)
    {
        var results = new List<PublishResult>(count);
        for (var n = 1; n <= count; n++)
        {
            results.Add(await PublishOneAsync(publisher, room, n));
        }
        return results;
    }

    private static IEnumerable<long> Seqs(long first, int count) => Enumerable.Range(0, count).Select(i => first + i);
}
