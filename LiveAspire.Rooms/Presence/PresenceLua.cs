namespace LiveAspire.Rooms.Presence;

/// <summary>
/// The rule of what a stream room's presence counts, written once in Lua and run inside Redis (on Redis's clock, so
/// replicas and readers cannot disagree about what has expired): a user counts while its lease expiry (its score in
/// <see cref="PresenceKeys.Users"/>) is after now; a replica's connections count while its entry's expiry is after
/// now. Realtime's tick script starts with <see cref="Functions"/> (it prunes and counts atomically with its writes);
/// <see cref="ViewerCounts"/> runs <see cref="Count"/>, which only reads.
/// </summary>
public static class PresenceLua
{
    /// <summary>
    /// The Lua functions that count, for the start of a presence script: <c>presence_now()</c> (Redis's clock, Unix
    /// ms); <c>presence_live_connections(entry, now)</c> (a replica entry's connections while its lease runs, else nil);
    /// <c>presence_count(users, replicas, now)</c> (returns users, connections with an unexpired lease).
    /// </summary>
    private const string CountFunctions = """
        local function presence_now()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local function presence_live_connections(entry, now)
          local c, e = string.match(entry, '^(%d+):(%d+)$')
          if e and tonumber(e) > now then
            return tonumber(c)
          end
          return nil
        end
        local function presence_count(users, replicas, now)
          local n = redis.call('ZCOUNT', users, '(' .. now, '+inf')
          local total = 0
          local all = redis.call('HGETALL', replicas)
          for j = 1, #all, 2 do
            total = total + (presence_live_connections(all[j + 1], now) or 0)
          end
          return n, total
        end

        """;

    /// <summary>
    /// Every presence Lua function, for the start of a script that writes presence: those that count (above), and
    /// <c>presence_replica_users(prefix, replica)</c> (the key of <see cref="PresenceKeys.ReplicaUsers"/>) and
    /// <c>presence_prune(users, replicas, prefix, now)</c> (deletes expired users, replicas and their user sets: what
    /// <c>presence_count</c> no longer counts).
    /// </summary>
    public static readonly string Functions = CountFunctions + $$"""
        local function presence_replica_users(prefix, replica)
          return prefix .. '{{PresenceKeys.ReplicaUsersInfix}}' .. replica
        end
        local function presence_prune(users, replicas, prefix, now)
          redis.call('ZREMRANGEBYSCORE', users, '-inf', now)
          local all = redis.call('HGETALL', replicas)
          for j = 1, #all, 2 do
            if not presence_live_connections(all[j + 1], now) then
              redis.call('HDEL', replicas, all[j])
              redis.call('DEL', presence_replica_users(prefix, all[j]))
            end
          end
        end

        """;

    /// <summary>One room's count, read only. KEYS: <see cref="PresenceKeys.Users"/>, <see cref="PresenceKeys.Replicas"/>.
    /// Returns {users, connections}.</summary>
    public static readonly string Count = CountFunctions + """
        local users, connections = presence_count(KEYS[1], KEYS[2], presence_now())
        return {users, connections}
        """;
}
