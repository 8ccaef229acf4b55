namespace LiveAspire.Rooms;

/// <summary>
/// The Lua that makes a room's numbering atomic. Sent as text every time (ScriptEvaluateAsync with the source):
/// a pre-loaded script would fail with NOSCRIPT after a Redis restart. KEYS are always
/// meta, events, ids, idorder (<see cref="RoomKeys"/>).
/// </summary>
internal static class RoomScripts
{
    // Shared by both scripts: a room with no meta either never existed or lost its state (Redis restarted without
    // its data). Either way it starts a new epoch with empty history, so no seq is ever reused under one epoch.
    private const string EnsureEpoch = """
        local epoch = redis.call('HGET', KEYS[1], 'epoch')
        if not epoch then
          epoch = ARGV[1]
          redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
          redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0)
        end
        """;

    /// <summary>
    /// ARGV: candidate epoch, id, type, room, data JSON, window size, channel.
    /// Returns {epoch, seq, duplicate(0|1), envelope-or-empty}. Idempotent by id within the window: a relayed event
    /// published again gets its first seq back and is not appended or published twice.
    /// </summary>
    public const string Publish = EnsureEpoch + """

        local existing = redis.call('HGET', KEYS[3], ARGV[2])
        if existing then
          return {epoch, tonumber(existing), 1, ''}
        end
        local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
        local now = redis.call('TIME')
        local ts = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
        local envelope = '{"id":' .. cjson.encode(ARGV[2]) .. ',"type":' .. cjson.encode(ARGV[3])
          .. ',"room":' .. cjson.encode(ARGV[4]) .. ',"seq":' .. seq .. ',"epoch":' .. cjson.encode(epoch)
          .. ',"ts":' .. ts .. ',"data":' .. ARGV[5] .. '}'
        local window = tonumber(ARGV[6])
        redis.call('XADD', KEYS[2], 'MAXLEN', window, seq .. '-0', 'e', envelope)
        redis.call('HSET', KEYS[3], ARGV[2], seq)
        redis.call('RPUSH', KEYS[4], ARGV[2])
        if redis.call('LLEN', KEYS[4]) > window then
          redis.call('HDEL', KEYS[3], redis.call('LPOP', KEYS[4]))
        end
        redis.call('PUBLISH', ARGV[7], envelope)
        return {epoch, seq, 0, envelope}
        """;

    /// <summary>
    /// ARGV: candidate epoch, after seq (-1: none, position only), max entries.
    /// Returns {epoch, current seq, first seq still in the window, envelope...}: one atomic read, so the position and
    /// the replay agree.
    /// </summary>
    public const string Read = EnsureEpoch + """

        local seq = tonumber(redis.call('HGET', KEYS[1], 'seq'))
        local firstSeq = seq + 1
        local first = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)
        if #first > 0 then
          firstSeq = tonumber(string.match(first[1][1], '^(%d+)'))
        end
        local result = {epoch, seq, firstSeq}
        local after = tonumber(ARGV[2])
        if after >= 0 and after < seq then
          local entries = redis.call('XRANGE', KEYS[2], (after + 1) .. '-0', '+', 'COUNT', tonumber(ARGV[3]))
          for _, entry in ipairs(entries) do
            result[#result + 1] = entry[2][2]
          end
        end
        return result
        """;
}
