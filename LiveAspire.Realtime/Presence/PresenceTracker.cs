using System.Text.Json;
using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Rooms;
using LiveAspire.Rooms.Presence;
using LiveAspire.Rooms.Redis;
using LiveAspire.Hosting;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Presence;

/// <summary>
/// Writes this replica's presence to Redis once per tick and publishes stream rooms' viewer counts.
/// <para>The local truth is what the replica already tracks: its connections (<see cref="ConnectionRegistry"/>) and
/// their stream-room memberships (<see cref="LocalRooms"/>), so every kind of disconnect (a clean close, an abort,
/// a slow consumer, a revocation) is reflected on the next tick without hooks of its own. Each tick sends only what
/// changed since the last one; every <see cref="PresenceOptions.RefreshEveryTicks"/> ticks it renews every lease,
/// so the entries of a replica that died expire after <see cref="PresenceOptions.LeaseMilliseconds"/>.</para>
/// </summary>
public sealed partial class PresenceTracker(
    IConnectionMultiplexer redis,
    LocalRooms rooms,
    ConnectionRegistry registry,
    IRoomPublisher publisher,
    ServiceInstance instance,
    TimeProvider time,
    IOptions<PresenceOptions> options,
    ILogger<PresenceTracker> logger) : BackgroundService
{
    private const string StreamPrefix = "stream:";

    // Per process, not per replica slot: a restarted replica must not refresh the entries its dead predecessor left.
    private readonly string _replicaId = $"{instance.Id}.{Guid.NewGuid().ToString("N")[..12]}";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, HashSet<Guid>> _syncedRooms = new(StringComparer.Ordinal);
    private HashSet<Guid> _syncedOnline = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _recount = new(StringComparer.Ordinal);
    private long _ticks;

    /// <summary>
    /// A connection joined <paramref name="room"/> (now subscribed and live): the next tick publishes the room's count
    /// even if it did not change, so the newcomer gets a count. Without it, a replica's first member of a room could
    /// miss the count its own join caused (published before the replica's subscription to the room was up) and show
    /// none until the count changed again. Counts stay at most one per <c>Presence:MinCountIntervalMilliseconds</c> per room.
    /// </summary>
    public void RecountSoon(string room)
    {
        if (room.StartsWith(StreamPrefix, StringComparison.Ordinal))
        {
            _recount.TryAdd(room, 0);
        }
    }

    /// <summary>The id under which this process writes its presence entries.</summary>
    public string ReplicaId => _replicaId;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TickMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await TickAsync();
                }
                catch (Exception e) when (e is RedisException or RoomStoreUnavailableException or TimeoutException)
                {
                    // Redis is down: the unsent changes stay pending (the synced state was not advanced) and go on
                    // a later tick; meanwhile our leases run out, which errs on the side of "not there".
                    LogTickFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The hub's <c>GetPresence</c>: which of the given users are online (a connection on any replica); at
    /// most <c>Presence:MaxPresenceIds</c> canonical user ids.</summary>
    public async Task<Dictionary<string, bool>> GetPresenceAsync(string[] userIds)
    {
        var max = options.Value.MaxPresenceIds;
        if (userIds is null || userIds.Length == 0 || userIds.Length > max)
        {
            throw new HubException($"{HubErrorCodes.InvalidArgument}: name 1 to {max} user ids");
        }
        var ids = new List<Guid>(userIds.Length);
        foreach (var text in userIds.Distinct(StringComparer.Ordinal))
        {
            if (!Guid.TryParseExact(text, "D", out var id) || text != id.ToString("D"))
            {
                throw new HubException($"{HubErrorCodes.InvalidArgument}: user ids are lower-case UUIDs");
            }
            ids.Add(id);
        }
        try
        {
            // The request path's bound (a paused Redis answers nothing): the caller hears redis_unavailable, not a hung call.
            return await RedisRequests.RunAsync(redis, () => GetOnlineAsync(ids));
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new HubException($"{HubErrorCodes.RedisUnavailable}: presence is unavailable; retry");
        }
    }

    /// <summary>Which of the given users have a connection on any replica (an unexpired lease).</summary>
    private async Task<Dictionary<string, bool>> GetOnlineAsync(IReadOnlyList<Guid> userIds)
    {
        var db = redis.GetDatabase();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var counts = await Task.WhenAll(userIds.Select(u =>
            db.SortedSetLengthAsync(RedisKeys.Online(u), now, double.PositiveInfinity, Exclude.Start)));
        var answer = new Dictionary<string, bool>(StringComparer.Ordinal);
        for (var i = 0; i < userIds.Count; i++)
        {
            answer[userIds[i].ToString("D")] = counts[i] > 0;
        }
        return answer;
    }

    private async Task TickAsync()
    {
        var full = _ticks++ % Math.Max(1, options.Value.RefreshEveryTicks) == 0;
        var db = redis.GetDatabase();
        var work = new List<Task>();

        // Stream rooms: what is local now, against what was last written.
        var current = new Dictionary<string, (HashSet<Guid> Users, int Connections)>(StringComparer.Ordinal);
        foreach (var room in rooms.RoomNames)
        {
            if (!room.StartsWith(StreamPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var users = new HashSet<Guid>();
            var connections = 0;
            foreach (var member in rooms.MembersOf(room))
            {
                if (member.IsClosed)
                {
                    continue;
                }
                // A guest is a connection and no user: it counts in connections only. Its id changes with every guest
                // token (a renewal, a reload), so it names no person who could be counted once.
                if (member.Connection.UserId is { } user)
                {
                    users.Add(user);
                    connections++;
                }
                else if (member.Connection.GuestChannelId is not null)
                {
                    connections++;
                }
            }
            if (connections > 0)
            {
                current[room] = (users, connections);
            }
        }
        List<(string Room, HashSet<Guid> Synced)> toSync;
        lock (_syncedRooms)
        {
            toSync = [.. current.Keys.Union(_syncedRooms.Keys).Select(r => (r, _syncedRooms.GetValueOrDefault(r) ?? []))];
        }
        foreach (var room in _recount.Keys.Where(r => !current.ContainsKey(r)))
        {
            _recount.TryRemove(room, out _); // joined and gone again before this tick: nothing to count
        }
        foreach (var (room, synced) in toSync)
        {
            var (users, connections) = current.TryGetValue(room, out var c) ? c : ([], 0);
            work.Add(SyncRoomAsync(db, room, synced, users, connections, full));
        }

        // Online status: a user with any connection here.
        var online = registry.Users().ToHashSet();
        var lease = options.Value.LeaseMilliseconds;
        var expiry = time.GetUtcNow().ToUnixTimeMilliseconds() + lease;
        foreach (var user in full ? online : online.Except(_syncedOnline))
        {
            var key = RedisKeys.Online(user);
            work.Add(db.SortedSetAddAsync(key, _replicaId, expiry));
            work.Add(db.KeyExpireAsync(key, TimeSpan.FromMilliseconds(lease)));
        }
        foreach (var user in _syncedOnline.Except(online))
        {
            work.Add(db.SortedSetRemoveAsync(RedisKeys.Online(user), _replicaId));
        }
        await Task.WhenAll(work);
        _syncedOnline = online;
    }

    private async Task SyncRoomAsync(IDatabase db, string room, HashSet<Guid> synced, HashSet<Guid> users, int connections, bool full)
    {
        var added = users.Except(synced).Select(u => (RedisValue)u.ToString("D")).ToList();
        var removed = synced.Except(users).Select(u => (RedisValue)u.ToString("D")).ToList();
        var prefix = PresenceKeys.Prefix(room);
        if (_recount.TryRemove(room, out _))
        {
            // Forget the last published count: the script then publishes the current one (when due).
            await db.HashDeleteAsync(PresenceKeys.Last(room), "u");
        }
        RedisKey[] keys = [PresenceKeys.Users(room), PresenceKeys.Replicas(room), PresenceKeys.ReplicaUsers(room, _replicaId), PresenceKeys.Last(room)];
        RedisValue[] values =
        [
            _replicaId, options.Value.LeaseMilliseconds, connections, full ? 1 : 0,
            options.Value.MinCountIntervalMilliseconds, prefix, added.Count, .. added, .. removed,
        ];
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(PresenceScripts.Tick, keys, values))!;
        lock (_syncedRooms)
        {
            if (connections > 0)
            {
                _syncedRooms[room] = users;
            }
            else
            {
                _syncedRooms.Remove(room);
            }
        }
        if ((int)result[0] == 1)
        {
            var count = new PresenceCount((long)result[1], (long)result[2]);
            try
            {
                await publisher.PublishEphemeralAsync(room, EventTypes.PresenceCount, JsonSerializer.SerializeToElement(count, Json));
            }
            catch (RoomStoreUnavailableException e)
            {
                // Let the next tick publish it again: forget what was "last published".
                LogPublishFailed(logger, room, e.Message);
                await db.HashDeleteAsync(PresenceKeys.Last(room), "u");
            }
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "Presence tick failed: {Error}")]
    private static partial void LogTickFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "Publishing the viewer count of {Room} failed: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string room, string error);
}
