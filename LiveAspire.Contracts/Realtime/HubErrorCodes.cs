namespace LiveAspire.Contracts.Realtime;

/// <summary>
/// Error codes the hub gives: in a <see cref="ResumeResult.Error"/>, as the <c>code: message</c> prefix of a failed
/// invocation, or in <c>Error(code, message, retryAfterMs)</c>. docs/errors.md explains each (a test checks it lists them).
/// </summary>
public static class HubErrorCodes
{
    /// <summary>Not a room name in canonical form.</summary>
    public const string RoomInvalid = "room_invalid";

    /// <summary>The user may not read this room.</summary>
    public const string RoomForbidden = "room_forbidden";

    /// <summary>Redis cannot be reached; retry after the given delay.</summary>
    public const string RedisUnavailable = "redis_unavailable";

    /// <summary>A hub argument is missing or malformed.</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>The connection would be in more rooms than allowed.</summary>
    public const string TooManyRooms = "too_many_rooms";

    /// <summary>The connection is closing; reconnect.</summary>
    public const string ConnectionClosed = "connection_closed";

    /// <summary>Too many invocations; retry after the given delay.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The connection kept invoking over the rate limit and is being closed.</summary>
    public const string InvocationFlood = "invocation_flood";

    /// <summary>HTTP 403 before the upgrade: the request's Origin is not allowed.</summary>
    public const string OriginForbidden = "origin_forbidden";

    /// <summary>HTTP 429 before the upgrade: the user or address already holds as many connections as allowed.</summary>
    public const string TooManyConnections = "too_many_connections";

    /// <summary>HTTP 503 before the upgrade: this replica is stopping; connect again (to another replica).</summary>
    public const string ShuttingDown = "shutting_down";

    /// <summary>HTTP 503 before the upgrade: this replica holds as many connections as it takes (<c>Edge:MaxConnectionsPerReplica</c>).</summary>
    public const string ReplicaFull = "replica_full";

    /// <summary>In the Close message: the connection sent more protocol Ping records than allowed (<c>Edge:MaxPingsPerMinute</c>) and is closed.</summary>
    public const string PingFlood = "ping_flood";

    /// <summary>The connection is closed as it opens: its token names no user, or an overlay or guest token names no channel.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>PostgreSQL cannot be reached: HTTP 503 with <c>Retry-After</c> on a hub request (its token's session is not
    /// cached and could not be checked), or a hub call that needed it failed (a <c>mod:</c>/<c>alerts:</c> room's access
    /// check); retry after the delay.</summary>
    public const string DatabaseUnavailable = "database_unavailable";

    /// <summary>A guest (an anonymous viewer's token) called a hub method that only users may call: guests read their
    /// channel's <c>stream:</c> room and nothing else.</summary>
    public const string GuestForbidden = "guest_forbidden";

    /// <summary><c>SendChat</c>: nothing is left of the text once normalised (docs/chat.md, "The text rule").</summary>
    public const string ChatEmpty = "chat_empty";

    /// <summary><c>SendChat</c>: more than 500 user-perceived characters once normalised.</summary>
    public const string ChatTooLong = "chat_too_long";

    /// <summary><c>SendChat</c>: the text is not text (a lone surrogate).</summary>
    public const string ChatTextInvalid = "chat_text_invalid";

    /// <summary><c>SendChat</c>: the user sent faster than the channel's per-user limit allows (one budget across every
    /// replica); the message names <c>retry after N ms</c>.</summary>
    public const string ChatRateLimited = "chat_rate_limited";

    /// <summary><c>SendChat</c>: the channel's flood guard is full (the whole room sends faster than it allows); retry after the delay.</summary>
    public const string ChatChannelBusy = "chat_channel_busy";

    /// <summary><c>SendChat</c>: the same user sent the same text in this channel within the last 30 s.</summary>
    public const string ChatDuplicate = "chat_duplicate";

    /// <summary><c>SendChat</c>: the replica's queue of messages waiting to be stored is full; retry after the delay.</summary>
    public const string ChatBusy = "chat_busy";

    /// <summary><c>SendChat</c>: <c>replyToId</c> names no message of this channel.</summary>
    public const string ChatReplyNotFound = "chat_reply_not_found";

    /// <summary><c>SendChat</c>: the channel does not exist.</summary>
    public const string ChannelNotFound = "channel_not_found";

    /// <summary>Every code above, for the documentation test.</summary>
    public static readonly IReadOnlyList<string> All =
        [RoomInvalid, RoomForbidden, RedisUnavailable, InvalidArgument, TooManyRooms, ConnectionClosed,
         RateLimited, InvocationFlood, OriginForbidden, TooManyConnections, ShuttingDown, ReplicaFull, PingFlood, Unauthorized,
         DatabaseUnavailable, GuestForbidden, ChatEmpty, ChatTooLong, ChatTextInvalid, ChatRateLimited, ChatChannelBusy,
         ChatDuplicate, ChatBusy, ChatReplyNotFound, ChannelNotFound];
}
