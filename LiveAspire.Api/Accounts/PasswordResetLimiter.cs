using System.Security.Cryptography;
using System.Text;
using LiveAspire.Rooms.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveAspire.Api.Accounts;

/// <summary>
/// The per-account budget of password reset requests (<see cref="RateLimitOptions.PasswordResetPerAccount"/>): a
/// fixed window per normalised email address, counted in Redis so it holds across Api replicas and restarts. Every
/// address is counted, registered or not: an address that answered 429 where an unknown one would not would tell who
/// has an account. Redis rather than the issued reset tokens in PostgreSQL for the same reason: tokens exist only for
/// registered addresses.
/// </summary>
public sealed class PasswordResetLimiter(IConnectionMultiplexer redis, IOptions<RateLimitOptions> options)
{
    // One round trip, and the window starts with the first request: INCR then PEXPIRE on a fresh key, atomically, so
    // a crash between the two cannot leave a counter that never expires.
    private const string Script = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return {n, redis.call('PTTL', KEYS[1])}
        """;

    /// <summary>Null when this request fits the address's budget; otherwise how long until the window ends.</summary>
    /// <exception cref="RedisConnectionException">Redis cannot be reached; the caller refuses the request (no mail unmetered).</exception>
    public async Task<TimeSpan?> TryAcquireAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        var limit = options.Value.PasswordResetPerAccount;
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, [Key(normalizedEmail)],
            [(long)limit.Window.TotalMilliseconds]).WaitAsync(cancellationToken))!;
        var count = (long)result[0];
        var ttl = (long)result[1];
        return count <= limit.PermitLimit ? null : TimeSpan.FromMilliseconds(ttl > 0 ? ttl : limit.Window.TotalMilliseconds);
    }

    /// <summary>Hashed: Redis holds no email address.</summary>
    public static string Key(string normalizedEmail)
        => $"{RedisKeys.Prefix}password-reset:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)))}";
}
