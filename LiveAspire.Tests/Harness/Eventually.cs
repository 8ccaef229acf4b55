namespace LiveAspire.Tests.Harness;

/// <summary>Waits for a condition with a deadline, polling: never a fixed sleep that hopes long enough has passed.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, Func<T?, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T? last = default;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await probe();
                if (done(last))
                {
                    return last!;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or System.Net.Sockets.SocketException)
            {
                lastError = e;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0} s waiting for {what}; last value: {last}; last error: {lastError?.Message}");
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
        => GetAsync(() => Task.FromResult<bool?>(condition()), v => v == true, what, timeout);

    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
        => GetAsync<bool?>(async () => await condition(), v => v == true, what, timeout);

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns whether it
    /// held, for a caller whose own assertion then says what is missing.</summary>
    public static async Task<bool> HoldsWithinAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(200);
        }
        return true;
    }
}
