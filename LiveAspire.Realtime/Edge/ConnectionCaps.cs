using System.Collections.Concurrent;

namespace LiveAspire.Realtime.Edge;

/// <summary>
/// Counts this replica's open hub connections per key (a user, a client address). In memory on purpose: a count in
/// Redis would outlive a replica that dies without decrementing, and the proxy spreads connections round-robin, so
/// per-replica caps bound each process's memory, which is what they protect (docs/realtime.md).
/// <para>Keyed by objects every held request keeps anyway (the token's subject string, the peer's address), so
/// counting adds only the dictionary entry to each connection, not a key string of its own.</para>
/// </summary>
public sealed class ConnectionCaps<TKey> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, int> _counts = new();

    public int CountOf(TKey key) => _counts.GetValueOrDefault(key);

    /// <summary>Counts one more connection for <paramref name="key"/> unless it already has <paramref name="max"/>.</summary>
    public bool TryAcquire(TKey key, int max)
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

    public void Release(TKey key)
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
