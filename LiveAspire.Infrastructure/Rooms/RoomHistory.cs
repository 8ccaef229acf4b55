using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Rooms;

/// <summary>A room's position and, when asked, the envelopes after a seq that the hot window still holds.</summary>
/// <param name="Epoch">Current epoch (a new one is started if the room had no state).</param>
/// <param name="Seq">Last assigned seq.</param>
/// <param name="FirstSeq">Oldest seq still in the window (<c>Seq + 1</c> when the window is empty).</param>
/// <param name="Envelopes">Envelope JSON texts after the requested seq, in seq order.</param>
public sealed record RoomSnapshot(string Epoch, long Seq, long FirstSeq, IReadOnlyList<string> Envelopes)
{
    /// <summary>True when every event after <paramref name="lastSeq"/> of <paramref name="epoch"/> is in this snapshot.</summary>
    public bool CanResume(string epoch, long lastSeq) =>
        epoch == Epoch && lastSeq <= Seq && lastSeq + 1 >= FirstSeq;
}

/// <summary>Reads rooms' hot windows. Not the system of record (PostgreSQL is): a window can be trimmed or lost.</summary>
public interface IRoomHistory
{
    /// <summary>The room's position, plus the envelopes after <paramref name="afterSeq"/> when it is not null.</summary>
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
