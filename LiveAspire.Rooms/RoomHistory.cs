using Microsoft.Extensions.Options;

namespace LiveAspire.Rooms;

/// <summary>A room's position and, when asked, the envelopes after a seq that the hot window still holds.</summary>
/// <param name="Epoch">Current epoch (a new one is started if the room had no state).</param>
/// <param name="Seq">Last assigned seq; 0 when the epoch has no event yet.</param>
/// <param name="FirstSeq">Oldest seq still in the window (<c>Seq + 1</c> when the window is empty).</param>
/// <param name="Envelopes">Envelope JSON texts after the requested seq, in seq order, each exactly as it was sent to the room's subscribers.</param>
public sealed record RoomSnapshot(string Epoch, long Seq, long FirstSeq, IReadOnlyList<string> Envelopes)
{
    /// <summary>
    /// True when every event after <paramref name="lastSeq"/> of <paramref name="epoch"/> is in this snapshot: same
    /// epoch, <paramref name="lastSeq"/> not ahead of <see cref="Seq"/>, and no event after it dropped from the window
    /// (<c>lastSeq + 1 &gt;= FirstSeq</c>). False after the room lost its state, since the epoch changed.
    /// </summary>
    public bool CanResume(string epoch, long lastSeq) =>
        epoch == Epoch && lastSeq <= Seq && lastSeq + 1 >= FirstSeq;
}

/// <summary>
/// Reads rooms' hot windows. Not the system of record (PostgreSQL is): a window can be trimmed or lost.
/// <see cref="RoomHistory"/> reads Redis, <see cref="InMemoryRooms"/> its own memory; the guarantees are
/// <see cref="IRoomPublisher"/>'s (numbering, window, epochs) plus those of <see cref="ReadAsync"/>.
/// </summary>
public interface IRoomHistory
{
    /// <summary>
    /// The room's position (epoch, last seq, first seq in the window), plus the envelopes after
    /// <paramref name="afterSeq"/> when it is not null: one atomic read, so the position and the envelopes agree.
    /// <list type="bullet">
    /// <item>A room with no state gets a new epoch here as on a publish, and that epoch is the one its next event
    /// carries (unless the state is lost in between).</item>
    /// <item><paramref name="afterSeq"/> null (or negative): the position only, no envelopes.</item>
    /// <item><paramref name="afterSeq"/> 0 or more: every envelope with a greater seq that the window still holds,
    /// in seq order; none when it is <see cref="RoomSnapshot.Seq"/> or more. When events after it have already left
    /// the window, the envelopes start at <see cref="RoomSnapshot.FirstSeq"/> and
    /// <see cref="RoomSnapshot.CanResume"/> says false.</item>
    /// </list>
    /// The room name is not checked (a read of a name nobody publishes to finds an empty room). Throws
    /// <see cref="RoomStoreUnavailableException"/> when Redis cannot be reached; the Redis read (one short script)
    /// does not stop for the cancellation token.
    /// </summary>
    Task<RoomSnapshot> ReadAsync(string room, long? afterSeq, CancellationToken cancellationToken = default);
}

public sealed class RoomHistory(IConnectionMultiplexer redis, IOptions<RoomOptions> options) : IRoomHistory
{
    public async Task<RoomSnapshot> ReadAsync(string room, long? afterSeq, CancellationToken cancellationToken = default)
    {
        var result = await RoomRedis.EvaluateAsync(redis, null, RoomScripts.Read, room,
            [RoomEvents.NewEpoch(), afterSeq ?? -1, options.Value.HotWindow], cancellationToken);
        var envelopes = new string[result.Length - 3];
        for (var i = 3; i < result.Length; i++)
        {
            envelopes[i - 3] = (string)result[i]!;
        }
        return new RoomSnapshot((string)result[0]!, (long)result[1], (long)result[2], envelopes);
    }
}
