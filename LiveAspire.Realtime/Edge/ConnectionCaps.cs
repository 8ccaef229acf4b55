using System.Collections.Concurrent;

namespace LiveAspire.Realtime.Edge;

/// <summary>
/// Counts this replica's open hub connections per key (a user, a client address). In memory on purpose: a count in
/// Redis would outlive a replica that dies without decrementing, and the proxy spreads connections round-robin, so
/// per-replica caps bound each process's memory, which is what they protect (docs/realtime.md).
/// </summary>
public sealed class ConnectionCaps
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int CountOf(string key) => _counts.GetValueOrDefault(key);

    /// <summary>Counts one more connection for <paramref name="key"/> unless it already has <paramref name="max"/>.</summary>
    public bool TryAcquire(string key, int max)
    {
        while (true)
        {
            if (!_counts.TryGetValue(key, out var count))
            {
                if (max < 1)
                {
                    return false;
                }
                if (_counts.TryAdd(key, 1))
                {
                    return true;
                }
                continue;
            }
            if (count >= max)
            {
                return false;
            }
            if (_counts.TryUpdate(key, count + 1, count))
            {
                return true;
            }
        }
    }

    public void Release(string key)
    {
        while (_counts.TryGetValue(key, out var count))
        {
            if (count <= 1 ? _counts.TryRemove(KeyValuePair.Create(key, count)) : _counts.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }
}
