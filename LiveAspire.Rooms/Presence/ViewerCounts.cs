using LiveAspire.Contracts.Realtime;
using LiveAspire.Rooms.Redis;

namespace LiveAspire.Rooms.Presence;

/// <summary>
/// Reads stream rooms' current viewer counts (<see cref="PresenceCount"/>, the figures <c>presence.count</c> carries)
/// from the presence Realtime keeps in Redis, for callers outside Realtime (Api's live-channels listing).
/// <para>Many rooms are read in one round trip: one read-only script per room (<see cref="PresenceLua.Count"/>, the
/// same rule Realtime's tick counts with), all sent as one pipelined batch, because a page lists up to a hundred
/// channels and a round trip each would multiply the page's latency. A room nobody watches (or no Realtime replica
/// has written yet) counts {0, 0}.</para>
/// </summary>
public sealed class ViewerCounts(IConnectionMultiplexer redis)
{
    /// <summary>
    /// The counts of <paramref name="rooms"/> (canonical room names; presence is kept for <c>stream:</c> rooms), keyed by
    /// room. Within the request path's bound (<see cref="RedisRequests"/>); throws
    /// <see cref="RoomStoreUnavailableException"/> when Redis cannot be reached or does not answer in time: the caller
    /// decides what a listing without counts looks like.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PresenceCount>> ReadAsync(IReadOnlyList<string> rooms, CancellationToken cancellationToken = default)
    {
        foreach (var room in rooms)
        {
            RoomEvents.CheckRoom(room);
        }
        if (rooms.Count == 0)
        {
            return new Dictionary<string, PresenceCount>(StringComparer.Ordinal);
        }
        cancellationToken.ThrowIfCancellationRequested();
        var answers = await RoomRedis.RunAsync(redis, () =>
        {
            var batch = redis.GetDatabase().CreateBatch();
            var reads = rooms.Select(room => batch.ScriptEvaluateAsync(PresenceLua.Count, [PresenceKeys.Users(room), PresenceKeys.Replicas(room)])).ToArray();
            batch.Execute();
            return Task.WhenAll(reads);
        });
        var counts = new Dictionary<string, PresenceCount>(rooms.Count, StringComparer.Ordinal);
        for (var i = 0; i < rooms.Count; i++)
        {
            var values = (RedisResult[])answers[i]!;
            counts[rooms[i]] = new PresenceCount((long)values[0], (long)values[1]);
        }
        return counts;
    }
}
