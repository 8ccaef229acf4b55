using LiveAspire.Rooms.Presence;

namespace LiveAspire.Realtime.Presence;

/// <summary>The Lua that keeps a stream room's presence in Redis (see docs/realtime.md, "Presence").</summary>
internal static class PresenceScripts
{
    /// <summary>
    /// One replica's tick for one room. KEYS: users (zset userId → lease expiry), replicas (hash replica →
    /// "conns:expiry"), mine (set of this replica's userIds), last (hash u, c, t). ARGV: replica, lease ms,
    /// this replica's connections, full refresh (1/0), min count interval ms, key prefix, number added, added...,
    /// removed.... Returns {publish (1/0), users, connections}. Time is Redis's clock, so replicas cannot disagree.
    /// What has expired and what counts is <see cref="PresenceLua"/>'s rule, the one Api's reader counts with too.
    /// </summary>
    public static readonly string Tick = PresenceLua.Functions + """
        local now = presence_now()
        local replica = ARGV[1]
        local lease = tonumber(ARGV[2])
        local conns = tonumber(ARGV[3])
        local full = ARGV[4] == '1'
        local interval = tonumber(ARGV[5])
        local prefix = ARGV[6]
        local nAdd = tonumber(ARGV[7])
        local exp = now + lease
        for i = 8, 7 + nAdd do
          redis.call('SADD', KEYS[3], ARGV[i])
          redis.call('ZADD', KEYS[1], 'GT', exp, ARGV[i])
        end
        if #ARGV >= 8 + nAdd then
          local others = redis.call('HGETALL', KEYS[2])
          for i = 8 + nAdd, #ARGV do
            local u = ARGV[i]
            redis.call('SREM', KEYS[3], u)
            local held = false
            for j = 1, #others, 2 do
              local r = others[j]
              if r ~= replica and presence_live_connections(others[j + 1], now)
                  and redis.call('SISMEMBER', presence_replica_users(prefix, r), u) == 1 then
                held = true
                break
              end
            end
            if not held then
              redis.call('ZREM', KEYS[1], u)
            end
          end
        end
        if full then
          local members = redis.call('SMEMBERS', KEYS[3])
          for i = 1, #members do
            redis.call('ZADD', KEYS[1], 'GT', exp, members[i])
          end
        end
        if conns > 0 then
          redis.call('HSET', KEYS[2], replica, conns .. ':' .. exp)
          redis.call('PEXPIRE', KEYS[3], lease)
        else
          redis.call('HDEL', KEYS[2], replica)
          redis.call('DEL', KEYS[3])
        end
        presence_prune(KEYS[1], KEYS[2], prefix, now)
        local users, total = presence_count(KEYS[1], KEYS[2], now)
        local last = redis.call('HMGET', KEYS[4], 'u', 'c', 't')
        local changed = tonumber(last[1]) ~= users or tonumber(last[2]) ~= total
        local due = (not last[3]) or now - tonumber(last[3]) >= interval
        local publish = 0
        if changed and due then
          redis.call('HSET', KEYS[4], 'u', users, 'c', total, 't', now)
          publish = 1
        end
        redis.call('PEXPIRE', KEYS[1], lease * 4)
        redis.call('PEXPIRE', KEYS[2], lease * 4)
        redis.call('PEXPIRE', KEYS[4], lease * 4)
        return {publish, users, total}
        """;
}
