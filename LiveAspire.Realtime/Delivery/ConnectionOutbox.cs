using System.Threading.Channels;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// The queue of envelopes waiting to go to one connection, drained by one pump in order: delivery order per
/// connection is enqueue order, and a slow client never blocks the room (the dispatcher only enqueues). Whatever
/// is waiting when the pump runs goes out in one <c>Events</c> frame (coalescing). Bounded: a client that falls
/// this far behind is disconnected and resumes from its last seq, which loses nothing.
/// </summary>
public sealed class ConnectionOutbox
{
    private readonly Channel<EventEnvelope> _queue;
    private readonly int _maxBatch;

    public ConnectionOutbox(int capacity, int maxBatch)
    {
        _queue = Channel.CreateBounded<EventEnvelope>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails instead of dropping silently
        });
        _maxBatch = maxBatch;
    }

    /// <summary>Raised once when the queue is full: the owner disconnects the client.</summary>
    public event Action? Overflowed;

    public bool Enqueue(EventEnvelope envelope)
    {
        if (_queue.Writer.TryWrite(envelope))
        {
            return true;
        }
        if (_queue.Writer.TryComplete())
        {
            Overflowed?.Invoke();
        }
        return false;
    }

    public void Enqueue(IEnumerable<EventEnvelope> envelopes)
    {
        foreach (var envelope in envelopes)
        {
            if (!Enqueue(envelope))
            {
                return;
            }
        }
    }

    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Sends batches with <paramref name="send"/> until the outbox is completed.</summary>
    public async Task PumpAsync(Func<EventEnvelope[], Task> send, CancellationToken cancellationToken)
    {
        var batch = new List<EventEnvelope>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var envelope))
            {
                batch.Add(envelope);
            }
            await send([.. batch]);
            batch.Clear();
        }
    }
}
