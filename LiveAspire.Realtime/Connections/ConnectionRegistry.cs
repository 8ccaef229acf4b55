using System.Collections.Concurrent;
using LiveAspire.Realtime.Delivery;

namespace LiveAspire.Realtime.Connections;

/// <summary>This replica's open connections, by id and by user (revocation closes all of a user's).</summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, LiveConnection> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<string, LiveConnection>> _byUser = new();

    public int Count => _byId.Count;

    public void Add(LiveConnection connection)
    {
        _byId[connection.ConnectionId] = connection;
        if (connection.UserId is { } user)
        {
            // Small: a user has a few connections (at most Edge:MaxConnectionsPerUser); the defaults cost ~0.5 KB.
            _byUser.GetOrAdd(user, _ => new(concurrencyLevel: 1, capacity: 2, StringComparer.Ordinal))[connection.ConnectionId] = connection;
        }
    }

    public IEnumerable<LiveConnection> All() => _byId.Values;

    public LiveConnection? Get(string connectionId) => _byId.GetValueOrDefault(connectionId);

    public LiveConnection? Remove(string connectionId)
    {
        if (!_byId.TryRemove(connectionId, out var connection))
        {
            return null;
        }
        if (connection.UserId is { } user && _byUser.TryGetValue(user, out var mine))
        {
            mine.TryRemove(connectionId, out _);
            // An empty per-user map left behind is harmless (re-used on the user's next connection) but unbounded
            // over time, so it is removed; a racing Add re-creates it.
            if (mine.IsEmpty)
            {
                _byUser.TryRemove(KeyValuePair.Create(user, mine));
            }
        }
        return connection;
    }

    /// <summary>The users with at least one connection on this replica.</summary>
    public IEnumerable<Guid> Users() => _byUser.Where(u => !u.Value.IsEmpty).Select(u => u.Key);

    public IReadOnlyList<LiveConnection> OfUser(Guid userId) =>
        _byUser.TryGetValue(userId, out var mine) ? [.. mine.Values] : [];
}
