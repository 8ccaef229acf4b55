using System.Runtime.CompilerServices;

namespace LiveAspire.Rooms.Redis;

/// <summary>
/// The explicit bound on a Redis call on a request's path (an Api publish, a hub join, a presence read, a cache read),
/// per connection multiplexer.
/// <list type="bullet">
/// <item><b>Bound.</b> A call waits at most <see cref="RedisClientDefaults.RequestTimeoutMs"/> for its reply, then
/// throws <see cref="TimeoutException"/>. The client's own AsyncTimeout (3 s, checked on a once-a-second heartbeat)
/// would let a paused or partitioned Redis, whose socket stays open, hold a request for up to 4 s.</item>
/// <item><b>Fail fast after a timeout.</b> For <see cref="RedisClientDefaults.RequestTimeoutMs"/> after a call timed
/// out, a new call throws at once without being sent: a request that needs Redis twice (the session cache, then the
/// publish) fails within one bound, not two, and a stalled Redis does not collect a queue of commands. Then calls are
/// sent again (the next one tells whether Redis is back); any reply ends the fail-fast period at once.</item>
/// </list>
/// A given-up call may still reach Redis later: a publish is retried with the same envelope id.
/// </summary>
public static class RedisRequests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(RedisClientDefaults.RequestTimeoutMs);
    private static readonly ConditionalWeakTable<object, Stall> Stalls = [];

    /// <summary>Runs <paramref name="command"/> within the bound (or less: <paramref name="bound"/>); throws
    /// <see cref="TimeoutException"/> when Redis did not answer in time or has just not answered another call.</summary>
    public static async Task<T> RunAsync<T>(IConnectionMultiplexer redis, Func<Task<T>> command, TimeSpan? bound = null)
    {
        var stall = Stalls.GetValue(redis, static _ => new Stall());
        if (stall.IsFailingFast)
        {
            throw new TimeoutException("Redis did not answer a call a moment ago; not waiting for it again yet.");
        }
        var call = command();
        try
        {
            var result = await call.WaitAsync(bound is { } b && b < Bound ? (b > TimeSpan.Zero ? b : TimeSpan.Zero) : Bound);
            stall.Answered();
            return result;
        }
        catch (TimeoutException)
        {
            stall.TimedOut();
            // Given up on, not cancelled: its own failure later (the client's timeout) is observed here.
            _ = call.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    /// <inheritdoc cref="RunAsync{T}(IConnectionMultiplexer, Func{Task{T}}, TimeSpan?)"/>
    public static Task RunAsync(IConnectionMultiplexer redis, Func<Task> command, TimeSpan? bound = null)
        => RunAsync(redis, async () =>
        {
            await command();
            return true;
        }, bound);

    private sealed class Stall
    {
        private long _failFastUntil;

        public bool IsFailingFast => Environment.TickCount64 < Volatile.Read(ref _failFastUntil);

        public void TimedOut() => Volatile.Write(ref _failFastUntil, Environment.TickCount64 + RedisClientDefaults.RequestTimeoutMs);

        public void Answered() => Volatile.Write(ref _failFastUntil, 0);
    }
}
