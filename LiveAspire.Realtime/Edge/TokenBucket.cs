namespace LiveAspire.Realtime.Edge;

/// <summary>A token bucket: <c>burst</c> tokens, refilled at <c>perSecond</c>. Thread-safe.</summary>
public sealed class TokenBucket(double perSecond, int burst, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    /// <summary>Takes a token; when none is left, says in how many milliseconds one will be.</summary>
    public bool TryTake(out int retryAfterMs)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * perSecond);
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfterMs = 0;
                return true;
            }
            retryAfterMs = (int)Math.Ceiling((1 - _tokens) / perSecond * 1000);
            return false;
        }
    }
}
