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

    /// <summary>An administrator's announcement: data <see cref="Realtime.SystemAnnouncement"/> <c>{text}</c> from
    /// <c>POST /api/admin/announcements</c> (one room, or every live channel's stream room), or whatever JSON the admin
    /// sent to <c>POST /api/rooms/{room}/events</c>, conventionally <c>{text}</c>. Any room.</summary>
    public const string SystemAnnouncement = "system.announcement";

    /// <summary>A channel went live (<c>stream:{channelId}</c>): data <see cref="Channels.StreamStarted"/>
    /// <c>{broadcastId, channelId, title, category, startedAt}</c>. Leaves through the outbox.</summary>
    public const string StreamStarted = "stream.started";

    /// <summary>A broadcast ended and became a VOD (<c>stream:{channelId}</c>): data <see cref="Channels.StreamEnded"/>
    /// <c>{broadcastId, channelId, endedAt, durationSeconds}</c>. Leaves through the outbox.</summary>
    public const string StreamEnded = "stream.ended";

    /// <summary>The live broadcast's title or category changed (<c>stream:{channelId}</c>): data
    /// <see cref="Channels.StreamUpdated"/> <c>{broadcastId, channelId, title, category}</c>. Leaves through the outbox.</summary>
    public const string StreamUpdated = "stream.updated";

    /// <summary>A chat message in a stream room (<c>stream:{channelId}</c>): data <see cref="Chat.ChatMessage"/>
    /// <c>{id, channelId, sender {id, name, badges}, fragments, replyTo, broadcastId, offsetMs, sentAt}</c>. Droppable;
    /// its envelope id is the message id. Published by Realtime's <c>SendChat</c> after the message's commit, or by the
    /// Worker's sweep.</summary>
    public const string ChatMessage = "chat.message";

    /// <summary>A chat message mentions the user (<c>user:{userId}</c>): data <see cref="Chat.ChatMention"/>
    /// <c>{messageId, channelId, sender, fragments, sentAt}</c>. Droppable, best effort.</summary>
    public const string ChatMention = "chat.mention";

    /// <summary>Viewer count of a stream room (<c>stream:{channelId}</c>): data <see cref="LiveAspire.Contracts.Realtime.PresenceCount"/>
    /// <c>{users, connections}</c>. A counter: ephemeral (seq 0), at most one per second per room, only when changed; the latest wins.</summary>
    public const string PresenceCount = "presence.count";

    /// <summary>Ephemeral typing indicator in a private conversation (<c>dm:{a}:{b}</c>): data
    /// <see cref="LiveAspire.Contracts.Realtime.DmTyping"/> <c>{userId, typing}</c>. Not numbered or stored: <c>seq</c> 0, empty epoch.</summary>
    public const string DmTyping = "dm.typing";

    /// <summary>All of them, for the documentation test.</summary>
    public static readonly IReadOnlyList<string> All = [RoomGap, SystemAnnouncement, StreamStarted, StreamEnded, StreamUpdated, ChatMessage, ChatMention, PresenceCount, DmTyping];
}
