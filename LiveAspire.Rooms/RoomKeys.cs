namespace LiveAspire.Rooms;

/// <summary>
/// Redis names for a room's state (as SignalR's RedisChannels does for its backplane). The room name sits in a
/// hash tag (<c>{...}</c>) so all of one room's keys hash to the same slot should Redis ever be clustered, which the
/// publish script needs (it touches all of them atomically).
/// </summary>
public static class RoomKeys
{
    private const string Prefix = "liveaspire:room:";

    /// <summary>Hash: <c>epoch</c> (string) and <c>seq</c> (last assigned offset).</summary>
    public static string Meta(string room) => $"{Prefix}{{{room}}}:meta";

    /// <summary>Stream: the hot window, entry id <c>{seq}-0</c>, field <c>e</c> = the envelope JSON.</summary>
    public static string Events(string room) => $"{Prefix}{{{room}}}:events";

    /// <summary>Hash envelope id → seq, for idempotent publishing within the hot window.</summary>
    public static string Ids(string room) => $"{Prefix}{{{room}}}:ids";

    /// <summary>List of the envelope ids in <see cref="Ids"/>, oldest first, trimmed with the window.</summary>
    public static string IdOrder(string room) => $"{Prefix}{{{room}}}:idorder";

    /// <summary>Pub/sub channel on which each published envelope goes out to the replicas that have members.</summary>
    public static string Channel(string room) => $"{Prefix}{room}";

    /// <summary>The room name of a pub/sub <see cref="Channel"/>.</summary>
    public static string RoomOfChannel(string channel) => channel[Prefix.Length..];
}
