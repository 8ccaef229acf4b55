using LiveAspire.Rooms.Redis;

namespace LiveAspire.Rooms.Presence;

/// <summary>
/// The Redis keys of one stream room's presence, all under the room's hash tag (as <see cref="RoomKeys"/> are), built
/// here only: Realtime writes them on every tick and Api reads them for the live-channels listing, so the two can
/// never disagree on a name (docs/realtime.md, "Presence").
/// </summary>
public static class PresenceKeys
{
    /// <summary>What sits between a room's <see cref="Prefix"/> and a replica id in <see cref="ReplicaUsers"/>; the Lua
    /// in <see cref="PresenceLua"/> builds the same names from it.</summary>
    internal const string ReplicaUsersInfix = "r:";

    /// <summary>What every presence key of <paramref name="room"/> starts with.</summary>
    public static string Prefix(string room) => $"{RedisKeys.Prefix}presence:{{{room}}}:";

    /// <summary>Sorted set userId → lease expiry (Unix ms, Redis clock): the room's distinct viewers on all replicas.</summary>
    public static string Users(string room) => Prefix(room) + "users";

    /// <summary>Hash replica → <c>{connections}:{lease expiry ms}</c>: each replica's connection count in the room.</summary>
    public static string Replicas(string room) => Prefix(room) + "replicas";

    /// <summary>Set of the userIds <paramref name="replica"/> holds in the room (its TTL is the lease).</summary>
    public static string ReplicaUsers(string room, string replica) => Prefix(room) + ReplicaUsersInfix + replica;

    /// <summary>Hash <c>u</c>, <c>c</c>, <c>t</c>: the last published count and when.</summary>
    public static string Last(string room) => Prefix(room) + "last";
}
