namespace LiveAspire.Realtime.Presence;

/// <summary>Presence settings (section <c>Presence</c>).</summary>
public sealed class PresenceOptions
{
    /// <summary>How often local changes are written to Redis and a room's count is re-checked.</summary>
    public int TickMilliseconds { get; set; } = 1000;

    /// <summary>Every this many ticks, every local user's lease is refreshed (between refreshes only changes are sent).</summary>
    public int RefreshEveryTicks { get; set; } = 5;

    /// <summary>How long a replica's entries live without a refresh: a dead replica's viewers and online users
    /// disappear within this time.</summary>
    public int LeaseMilliseconds { get; set; } = 15_000;

    /// <summary>Minimum time between two <c>presence.count</c> events of one room (across all replicas).</summary>
    public int MinCountIntervalMilliseconds { get; set; } = 1000;

    /// <summary>Most user ids one <c>GetPresence</c> call may ask about.</summary>
    public int MaxPresenceIds { get; set; } = 100;

    /// <summary>Minimum time between two typing indicators from one connection; faster ones are dropped.</summary>
    public int TypingMinIntervalMilliseconds { get; set; } = 300;
}
