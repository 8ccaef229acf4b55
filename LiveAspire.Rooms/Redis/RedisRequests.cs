using System.Runtime.CompilerServices;

namespace LiveAspire.Rooms.Redis;

/// <summary>
/// The explicit bound on a Redis call on a request's path (an Api publish, a hub join, a presence read, a cache read),
/// per connection multiplexer.
/// <list type="bullet">
/// <item><b>Bound.</b> A call waits at most <see cref="RedisClientDefaults.RequestTimeoutMs"/> for its reply, then
/// throws <see cref="TimeoutException"/>. The client's own AsyncTimeout (3 s, checked on a once-a-second heartbeat)
/// would let a paused or partitioned Redis, whose socket stays open, hold a request for up to 4 s.</item>
/// <item><b>Fail fast while Redis does not answer.</b> Once a call timed out, new calls throw at once without being
/// sent, except one trial call per <see cref="RedisClientDefaults.RequestTimeoutMs"/>, which tells whether Redis is
/// back; any reply ends this at once. So a request that needs Redis twice (the session cache, then the publish) fails
/// within one bound, not two, and a stalled Redis does not collect a queue of commands.</item>
/// </list>
/// A given-up call may still reach Redis later: a publish is retried with the same envelope id.
/// </summary>
public static class RedisRequests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(RedisClientDefaults.RequestTimeoutMs);
    private static readonly ConditionalWeakTable<object, Stall> Stalls = [];

    /// <summary>Runs <paramref name="command"/> within the bound (or less: <paramref name="bound"/>); throws
    /// <see cref="TimeoutException"/> when Redis did not answer in time or is not answering other calls.</summary>
    public static async Task<T> RunAsync<T>(IConnectionMultiplexer redis, Func<Task<T>> command, TimeSpan? bound = null)
    {
        var stall = Stalls.GetValue(redis, static _ => new Stall());
        var trial = false;
        if (stall.IsStalled && !(trial = stall.TryStartTrial()))
        {
            throw new TimeoutException("Redis is not answering; not waiting for it again yet.");
        }
        Task<T>? call = null;
        try
        {
            call = command();
            var result = await call.WaitAsync(bound is { } b && b < Bound ? (b > TimeSpan.Zero ? b : TimeSpan.Zero) : Bound);
            stall.Answered();
            return result;
        }
        catch (TimeoutException)
        {
            stall.TimedOut();
            // Given up on, not cancelled: its own failure later (the client's timeout) is observed here.
            _ = call?.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        finally
        {
            if (trial)
            {
                stall.EndTrial(); // answered, timed out, or failed otherwise (disconnected): the next call may try
            }
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
        private long _stalledSince = -1, _lastTrial;
        private int _trial;

        public bool IsStalled => Volatile.Read(ref _stalledSince) >= 0;

        /// <summary>True for one caller at a time, at most once per bound: the call that tests whether Redis is back.</summary>
        public bool TryStartTrial()
        {
            var now = Environment.TickCount64;
            if (now - Volatile.Read(ref _lastTrial) < RedisClientDefaults.RequestTimeoutMs || Interlocked.CompareExchange(ref _trial, 1, 0) != 0)
            {
                return false;
            }
            Volatile.Write(ref _lastTrial, now);
            return true;
        }

        public void EndTrial() => Volatile.Write(ref _trial, 0);

        public void TimedOut()
        {
            var now = Environment.TickCount64;
            Interlocked.CompareExchange(ref _stalledSince, now, -1);
            Volatile.Write(ref _lastTrial, now);
        }

        public void Answered() => Volatile.Write(ref _stalledSince, -1);
    }
}
