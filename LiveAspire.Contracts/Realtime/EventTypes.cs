namespace LiveAspire.Contracts.Realtime;

/// <summary>
/// Every envelope type the system sends, with where it goes and what its data holds. docs/events.md lists exactly
/// these (a test compares them), so a new event is documented in the same commit that adds it.
/// </summary>
public static class EventTypes
{
    /// <summary>Sent to a client that fell behind in a room: data <c>{from, to}</c>, the missing seq range. Not numbered
    /// (its seq is the client's last position); the client resumes the room.</summary>
    public const string RoomGap = LiveHubContract.GapEventType;

    /// <summary>An administrator's announcement (<c>POST /api/rooms/{room}/events</c>): data is the JSON the admin sent,
    /// conventionally <c>{text}</c>. Any room.</summary>
    public const string SystemAnnouncement = "system.announcement";

    /// <summary>All of them, for the documentation test.</summary>
    public static readonly IReadOnlyList<string> All = [RoomGap, SystemAnnouncement];
}
