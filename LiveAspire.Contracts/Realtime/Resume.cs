namespace LiveAspire.Contracts.Realtime;

/// <summary>Where a client is in a room: the last <see cref="Seq"/> it processed under <see cref="Epoch"/>.</summary>
public sealed record RoomPosition(long Seq, string Epoch);

/// <summary>
/// A room's answer to <c>Resume</c> or <c>JoinStream</c>. <see cref="Recovered"/> is true when every event after the
/// client's position was (or is being) replayed, in order, before live events; false when the epoch differs or the
/// position is older than the hot window: the client resets the room (reloading from REST history where the room
/// has one) and continues from <see cref="Epoch"/>/<see cref="Seq"/>. <see cref="Error"/> is set (and nothing
/// else is meaningful) when the room cannot be joined: a code from docs/errors.md such as <c>room_forbidden</c>.
/// </summary>
/// <param name="Recovered">No gap: everything after the given position reaches the client.</param>
/// <param name="Epoch">The room's current epoch.</param>
/// <param name="Seq">The room position the client holds once the replay in this answer's frames is applied.</param>
/// <param name="Error">Null on success; otherwise the error code for this room.</param>
public sealed record ResumeResult(bool Recovered, string? Epoch, long Seq, string? Error = null);

/// <summary>The hub's method names and path, for clients written without the server's types.</summary>
public static class LiveHubContract
{
    /// <summary>Path of the hub on a Realtime replica (or the proxy in front of them).</summary>
    public const string Path = "/hubs/live";

    /// <summary><c>Resume(Dictionary&lt;room, RoomPosition?&gt;) → Dictionary&lt;room, ResumeResult&gt;</c>: join or rejoin rooms.
    /// A null position means "live only, from now".</summary>
    public const string Resume = "Resume";

    /// <summary><c>JoinStream(channelId, lastSeq?, epoch?) → ResumeResult</c>: the stream-room form of Resume.</summary>
    public const string JoinStream = "JoinStream";

    /// <summary><c>Leave(room)</c>: stop receiving a room's events.</summary>
    public const string Leave = "Leave";

    /// <summary><c>GetPresence(userIds[]) → Dictionary&lt;userId, bool&gt;</c>: which users are online (any device, any
    /// replica). At most <c>Presence:MaxPresenceIds</c> ids (100 by default).</summary>
    public const string GetPresence = "GetPresence";

    /// <summary><c>Typing(room, data?)</c>: tell the other member of a <c>dm:</c> room that this user is typing
    /// (<c>data</c> <c>{typing: false}</c> for stopped); ephemeral, sender taken from the token.</summary>
    public const string Typing = "Typing";

    /// <summary><c>SendChat(channelId, text, replyToId?, clientMsgId) → SendChatResult</c>: a chat message into
    /// <c>stream:{channelId}</c> as the token's user (docs/chat.md); the same <c>clientMsgId</c> again is the same message.</summary>
    public const string SendChat = "SendChat";

    /// <summary>Seq of an ephemeral envelope (<c>presence.count</c>, <c>dm.typing</c>): not numbered, not stored, not part of the room's order.</summary>
    public const long EphemeralSeq = 0;

    /// <summary><c>Ping() → PingReply</c>.</summary>
    public const string Ping = "Ping";

    /// <summary><c>HeartbeatAck(serverTs)</c>: the answer to a <c>Heartbeat</c>, sent without an invocation id.</summary>
    public const string HeartbeatAck = "HeartbeatAck";

    /// <summary>Envelope type of the marker sent when a client fell behind in a room: data <c>{from, to}</c> names the
    /// missing seq range; the client resumes that room from its last seq.</summary>
    public const string GapEventType = "room.gap";
}
