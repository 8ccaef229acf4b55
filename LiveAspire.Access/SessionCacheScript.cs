namespace LiveAspire.Access;

/// <summary>
/// Writes a user's cached <see cref="SessionState"/>, keeping the entry with the higher session version.
/// Every change of security state bumps the version (logout-all, ban, unban, role change, password reset), so
/// "highest version wins" makes the cache converge: a reader that loaded the old row from PostgreSQL just before a
/// revocation cannot overwrite the newer state the revoker wrote after its commit (a plain delete-then-refill could,
/// and the stale entry would then live for the whole TTL).
/// </summary>
internal static class SessionCacheScript
{
    // Sent as text on every call (not pre-loaded): a pre-loaded script fails with NOSCRIPT after Redis restarts.
    private const string Script = """
        local current = redis.call('HGET', KEYS[1], 'sv')
        if current and tonumber(current) > tonumber(ARGV[1]) then
          return 0
        end
        redis.call('HSET', KEYS[1], 'sv', ARGV[1], 'banned', ARGV[2])
        redis.call('EXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    public static Task WriteAsync(IDatabaseAsync database, RedisKey key, SessionState state, TimeSpan ttl)
        => database.ScriptEvaluateAsync(Script, [key], [state.SessionVersion, state.Banned ? 1 : 0, (long)ttl.TotalSeconds]);
}
