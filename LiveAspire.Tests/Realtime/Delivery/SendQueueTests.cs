using System.Text;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Realtime.Delivery;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Tests.Realtime.Delivery;

/// <summary>
/// The per-connection send queue on its own (docs/architecture.md section 3, "Event classes"; docs/realtime.md, "Delivery
/// performance"): order, coalescing, and what happens to each class of event when a client cannot keep up.
/// </summary>
public sealed class SendQueueTests
{
    private const string Room = "stream:0195f1d2-0000-7000-8000-000000000001";
    private const string OtherRoom = "stream:0195f1d2-0000-7000-8000-000000000002";
    private const string Epoch = "e1";
    private static readonly JsonHubProtocol Protocol = new();
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static EventEnvelope Envelope(string type, long seq, string room = Room) =>
        new($"{room}:{seq}:{type}", type, room, seq, seq == 0 ? "" : Epoch, 1, JsonSerializer.SerializeToElement(new { n = seq }));

    private static EventFrame Frame(string type, long from, long to, string room = Room) =>
        EventFrame.Create(Protocol, [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(s => Envelope(type, s, room))]);

    private static EventFrame Count(long users, string room = Room) =>
        EventFrame.Create(Protocol, [new EventEnvelope($"count-{users}", EventTypes.PresenceCount, room, 0, "", 1,
            JsonSerializer.SerializeToElement(new PresenceCount(users, users)))]);

    /// <summary>Everything queued, in order: a frame as its envelopes, single envelopes as they are.</summary>
    private static List<EventEnvelope> Drain(SendQueue queue)
    {
        var all = new List<EventEnvelope>();
        var run = new List<EventEnvelope>();
        while (queue.TryTake(run, out var frame))
        {
            all.AddRange(frame is null ? run : Envelopes(frame));
            run.Clear();
        }
        return all;
    }

    /// <summary>Reads the envelopes back out of a frame's bytes: the bytes are what every recipient gets.</summary>
    private static List<EventEnvelope> Envelopes(EventFrame frame)
    {
        var bytes = frame.Message.GetSerializedMessage(Protocol).ToArray();
        Assert.Equal((byte)HubFraming.RecordSeparator, bytes[^1]);
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 0, bytes.Length - 1));
        Assert.Equal(1, document.RootElement.GetProperty("type").GetInt32());
        Assert.Equal(nameof(ILiveClient.Events), document.RootElement.GetProperty("target").GetString());
        var arguments = document.RootElement.GetProperty("arguments");
        Assert.Equal(1, arguments.GetArrayLength());
        return [.. arguments[0].EnumerateArray().Select(e => e.Deserialize<EventEnvelope>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!)];
    }

    [Fact]
    public void AFrameIsSerializedOnceAsAnEventsInvocationOfItsEnvelopesInOrder()
    {
        var frame = Frame("chat.message", 5, 7);

        var envelopes = Envelopes(frame);

        Assert.Equal([5L, 6L, 7L], envelopes.Select(e => e.Seq));
        Assert.All(envelopes, e => Assert.Equal(Room, e.Room));
        Assert.Equal((5, 7, 3, EventClass.Droppable), (frame.FirstSeq, frame.LastSeq, frame.Count, frame.Class));
        Assert.Equal(EventClass.Reliable, EventFrame.Create(Protocol, [Envelope("chat.message", 1), Envelope("tip.received", 2)]).Class);
        Assert.Equal(EventClass.Latest, Count(3).Class);
    }

    [Fact]
    public void ItemsLeaveInEnqueueOrderAndWaitingSingleEnvelopesGoOutTogether()
    {
        var queue = new SendQueue(capacity: 100, maxBatch: 2);
        queue.Enqueue(Envelope("chat.message", 1));
        queue.Enqueue(Envelope("chat.message", 2));
        queue.Enqueue(Envelope("chat.message", 3));
        queue.Enqueue(Frame("chat.message", 4, 5));
        queue.Enqueue(Envelope("chat.message", 6));

        var run = new List<EventEnvelope>();
        Assert.True(queue.TryTake(run, out var frame));
        Assert.Null(frame);
        Assert.Equal([1L, 2L], run.Select(e => e.Seq)); // at most maxBatch per frame
        run.Clear();
        Assert.True(queue.TryTake(run, out frame));
        Assert.Equal([3L], run.Select(e => e.Seq)); // a run stops at a shared frame
        run.Clear();
        Assert.True(queue.TryTake(run, out frame));
        Assert.Equal((4L, 5L), (frame!.FirstSeq, frame.LastSeq));
        Assert.Empty(run);
        Assert.Equal([6L], Drain(queue).Select(e => e.Seq));
        Assert.False(queue.TryTake(run, out _));
    }

    [Fact]
    public void ANewerCounterReplacesTheOneStillWaitingForTheSameRoom()
    {
        var queue = new SendQueue(capacity: 100, maxBatch: 100);
        queue.Enqueue(Count(1));
        queue.Enqueue(Frame("chat.message", 1, 1));
        queue.Enqueue(Count(1, OtherRoom));
        queue.Enqueue(Count(2));
        queue.Enqueue(Count(3));

        var sent = Drain(queue);

        Assert.Equal(["count-3", $"{Room}:1:chat.message", "count-1"], sent.Select(e => e.Id));
        Assert.Equal(OtherRoom, sent[2].Room);
    }

    [Fact]
    public void WhenFullWaitingChatIsDroppedForAGapMarkerWhileTipsAreKept()
    {
        var queue = new SendQueue(capacity: 10, maxBatch: 100);
        var shed = 0;
        queue.Shed += n => shed += n;
        var overflowed = false;
        queue.Overflowed += () => overflowed = true;
        Assert.True(queue.Enqueue(Frame("chat.message", 1, 3)));
        Assert.True(queue.Enqueue(Frame("tip.received", 4, 4)));
        Assert.True(queue.Enqueue(Frame("chat.message", 5, 8)));
        Assert.True(queue.Enqueue(Count(7)));
        Assert.True(queue.Enqueue(Frame("chat.message", 1, 1, OtherRoom)));

        // 10 waiting; two more chat messages do not fit: the chat (and the counter) waiting is shed.
        Assert.True(queue.Enqueue(Frame("chat.message", 9, 10)));
        Assert.True(queue.Enqueue(Frame("tip.received", 11, 11)));
        Assert.True(queue.Enqueue(Frame("chat.message", 12, 12))); // the room is shed until the client resumes it

        var sent = Drain(queue);
        Assert.False(overflowed);
        Assert.Equal(7 + 1 + 2 + 1 + 1, shed); // 7 chat + 1 counter of the first room, 1 chat of the other, then 2 and 1 more
        Assert.Equal(
            [(EventTypes.RoomGap, Room, 0L), ("tip.received", Room, 4L), (EventTypes.RoomGap, OtherRoom, 0L), ("tip.received", Room, 11L)],
            sent.Select(e => (e.Type, e.Room, e.Seq)));
        var gap = sent[0].Data;
        Assert.Equal((1L, 8L), (gap.GetProperty("from").GetInt64(), gap.GetProperty("to").GetInt64())); // what was waiting

        // Once the client resumes the room, its chat is accepted again.
        queue.Unshed(Room);
        Assert.True(queue.Enqueue(Envelope("chat.message", 1)));
        Assert.Equal([1L], Drain(queue).Select(e => e.Seq));
    }

    [Fact]
    public void WhenFullAFrameMixingChatAndATipIsSplitTheTipKeptAndTheChatDropped()
    {
        var queue = new SendQueue(capacity: 10, maxBatch: 100);
        var overflowed = false;
        queue.Overflowed += () => overflowed = true;
        // A busy room's window: chat and a tip coalesced into one shared frame, which as a whole is reliable.
        Assert.True(queue.Enqueue(EventFrame.Create(Protocol,
            [Envelope("chat.message", 1), Envelope("chat.message", 2), Envelope("tip.received", 3), Envelope("chat.message", 4)])));
        Assert.True(queue.Enqueue(Frame("chat.message", 5, 10)));

        Assert.True(queue.Enqueue(Frame("tip.received", 11, 11))); // does not fit: the chat goes, both tips stay

        Assert.False(overflowed);
        var sent = Drain(queue);
        Assert.Equal([(EventTypes.RoomGap, 0L), ("tip.received", 3L), ("tip.received", 11L)], sent.Select(e => (e.Type, e.Seq)));
        Assert.Equal((1L, 10L), (sent[0].Data.GetProperty("from").GetInt64(), sent[0].Data.GetProperty("to").GetInt64()));
    }

    [Fact]
    public async Task WhenReliableEventsAloneFillItTheOwnerIsToldOnceAndWhatWasQueuedIsStillSent()
    {
        var queue = new SendQueue(capacity: 3, maxBatch: 100);
        var overflows = 0;
        queue.Overflowed += () => overflows++;
        Assert.True(queue.Enqueue(Frame("tip.received", 1, 3)));

        Assert.False(queue.Enqueue(Frame("tip.received", 4, 4)));
        Assert.False(queue.Enqueue(Frame("tip.received", 5, 5)));

        Assert.Equal(1, overflows);
        Assert.True(await queue.WaitAsync());
        Assert.Equal([1L, 2L, 3L], Drain(queue).Select(e => e.Seq)); // never dropped: the client resumes after 3
        Assert.False(await queue.WaitAsync().AsTask().WaitAsync(Deadline));
    }

    [Fact]
    public async Task AWaitingPumpWakesWhenSomethingIsQueuedAndEndsWhenItIsClosed()
    {
        var queue = new SendQueue(capacity: 10, maxBatch: 10);
        var waiting = queue.WaitAsync().AsTask();
        Assert.False(waiting.IsCompleted);

        queue.Enqueue(Envelope("chat.message", 1));

        Assert.True(await waiting.WaitAsync(Deadline));
        Assert.Single(Drain(queue));
        var second = queue.WaitAsync().AsTask();
        queue.Complete();
        Assert.True(await second.WaitAsync(Deadline)); // woken; nothing left, so the next wait ends the pump
        Assert.False(await queue.WaitAsync());
        Assert.False(queue.Enqueue(Envelope("chat.message", 2)));
    }
}

public sealed class CoalescingWindowTests
{
    [Theory]
    [InlineData(1, 0)] // a user's devices, a DM: never held back
    [InlineData(99, 0)]
    [InlineData(100, 25)] // big from CoalesceMinMembers: at least the base window
    [InlineData(2_000, 25)] // 20 ms by size: still the base window
    [InlineData(5_000, 50)] // 10 µs per member
    [InlineData(10_000, 100)]
    [InlineData(50_000, 100)] // never more than the maximum
    public void TheWindowGrowsWithTheRoomBetweenTheBaseAndTheMaximum(int members, double expectedMs)
    {
        var window = RoomDispatcher.WindowFor(members, new DeliveryOptions());

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), window);
    }

    [Fact]
    public void NoBaseWindowMeansNoWaitingAtAll() =>
        Assert.Equal(TimeSpan.Zero, RoomDispatcher.WindowFor(10_000, new DeliveryOptions { CoalesceMilliseconds = 0 }));
}
