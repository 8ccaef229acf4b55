namespace LiveAspire.Rooms.Redis;

/// <summary>
/// The StackExchange.Redis settings every LiveAspire process pins, whatever the connection string or the
/// <c>Aspire:StackExchange:Redis:ConfigurationOptions</c> section says: the publish guarantees of docs/architecture.md section 3
/// ("while Redis is unreachable a publish fails fast", nothing buffered in memory) depend on them.
/// </summary>
public static class RedisClientDefaults
{
    /// <summary>Longest wait for one connect attempt, in milliseconds. Also bounds how long start-up blocks while Redis is down.</summary>
    public const int ConnectTimeoutMs = 3000;

    /// <summary>
    /// Longest wait for the reply to any one command (async or sync), in milliseconds; then the call throws
    /// <see cref="RedisTimeoutException"/>. The client checks it on its once-a-second heartbeat, so up to a second later.
    /// </summary>
    public const int CommandTimeoutMs = 3000;

    /// <summary>
    /// Longest wait for a room command on a request's path (a publish, a history read, a presence read), in
    /// milliseconds; then it fails as <c>redis_unavailable</c>. Tighter than <see cref="CommandTimeoutMs"/>, which the
    /// client checks only on its once-a-second heartbeat: a paused or partitioned Redis answers an Api publish or a hub
    /// call within 2 s, never a hung request (docs/realtime.md, "Redis paused").
    /// </summary>
    public const int RequestTimeoutMs = 1000;

    /// <summary>Applies the pinned settings; Aspire's <c>AddRedisClient</c> calls it after reading configuration.</summary>
    public static void Apply(ConfigurationOptions options)
    {
        // Start while Redis is down and reconnect in the background after a Redis restart, instead of failing for
        // good on the first refused connect (Aspire's default too; pinned so abortConnect=true in a string cannot undo it).
        options.AbortOnConnectFail = false;
        // Aspire connects synchronously when the container first builds the multiplexer (at host start). With Redis
        // down that call waited 0 to ConnectTimeout x ConnectRetry (measured up to 6 s with 3 s x 3); one attempt caps
        // the stall at about ConnectTimeout, and the background reconnect does the rest.
        options.ConnectRetry = 1;
        options.ConnectTimeout = ConnectTimeoutMs;
        // Never queue a command while disconnected (the 2.x default holds it until reconnect or timeout): it throws
        // RedisConnectionException at once, so a publish during an outage fails fast as redis_unavailable and no
        // event waits in memory to be sent late, out of order with what the outbox relay retries.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // The explicit bound on every call while the connection looks up but Redis does not answer (a half-open
        // socket, a stalled server): 3 s is far beyond any healthy reply here, and short enough for a hub call or a
        // relay batch to give up and retry. The default (5 s) would hold hub invocations longer for nothing.
        options.AsyncTimeout = CommandTimeoutMs;
        options.SyncTimeout = CommandTimeoutMs;
    }
}
