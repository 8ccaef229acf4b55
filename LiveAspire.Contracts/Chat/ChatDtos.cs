namespace LiveAspire.Contracts.Chat;

/// <summary>
/// One piece of a chat message as the server parsed it (docs/chat.md): every client renders the same pieces the same
/// way, as text, never as markup. <see cref="Type"/> is one of <see cref="ChatFragmentTypes"/>; <see cref="Text"/> is
/// always what the sender typed for this piece, so a client that does not know a type shows the text.
/// </summary>
/// <param name="Type">text, emote, emoji, mention or link.</param>
/// <param name="Text">The characters of this piece as typed (an emote's code, <c>@name</c>, the link as written).</param>
/// <param name="EmoteId">An emote's id.</param>
/// <param name="Url">An emote's image (<c>/api/emotes/{id}/image</c>, relative to Api) or a link's absolute http(s) address.</param>
/// <param name="UserId">The mentioned user's id.</param>
public sealed record ChatFragment(string Type, string Text, Guid? EmoteId = null, string? Url = null, Guid? UserId = null);

/// <summary>The kinds of <see cref="ChatFragment"/>.</summary>
public static class ChatFragmentTypes
{
    /// <summary>Plain text.</summary>
    public const string Text = "text";
    /// <summary>An emote: its code, id and image.</summary>
    public const string Emote = "emote";
    /// <summary>One emoji (a whole sequence, joiners and modifiers included).</summary>
    public const string Emoji = "emoji";
    /// <summary><c>@name</c> of a real user.</summary>
    public const string Mention = "mention";
    /// <summary>An http or https address.</summary>
    public const string Link = "link";

    /// <summary>Every kind.</summary>
    public static readonly IReadOnlyList<string> All = [Text, Emote, Emoji, Mention, Link];
}

/// <summary>Badges the server gives a sender at send time (docs/chat.md), in this order of rank.</summary>
public static class ChatBadges
{
    /// <summary>A global administrator.</summary>
    public const string Admin = "admin";
    /// <summary>The channel's owner.</summary>
    public const string Performer = "performer";
    /// <summary>A moderator of the channel.</summary>
    public const string Moderator = "moderator";
    /// <summary>A tier 1 subscriber.</summary>
    public const string Subscriber1 = "subscriber_1";
    /// <summary>A tier 2 subscriber.</summary>
    public const string Subscriber2 = "subscriber_2";
    /// <summary>A tier 3 subscriber.</summary>
    public const string Subscriber3 = "subscriber_3";

    /// <summary>Every badge.</summary>
    public static readonly IReadOnlyList<string> All = [Admin, Performer, Moderator, Subscriber1, Subscriber2, Subscriber3];

    /// <summary>The badge of a subscription tier (1 to 3).</summary>
    public static string Subscriber(int tier) => tier switch
    {
        1 => Subscriber1,
        2 => Subscriber2,
        3 => Subscriber3,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "tiers are 1 to 3"),
    };
}

/// <summary>Who sent a message: id and name from the token and the users table, badges computed at send time.</summary>
public sealed record ChatSender(Guid Id, string Name, IReadOnlyList<string> Badges);

/// <summary>What a reply answers: the parent message, its sender, and a short quote of its text (at most 80 characters).</summary>
public sealed record ChatReplyRef(Guid Id, Guid SenderId, string SenderName, string Quote);

/// <summary>
/// A chat message: data of <c>chat.message</c> in <c>stream:{channelId}</c>, and an item of
/// <c>GET /api/channels/{channelId}/chat</c>. <see cref="BroadcastId"/> and <see cref="OffsetMs"/> place a message sent
/// during a broadcast (milliseconds from the broadcast's start); both null while the channel is offline.
/// </summary>
public sealed record ChatMessage(
    Guid Id, Guid ChannelId, ChatSender Sender, IReadOnlyList<ChatFragment> Fragments, ChatReplyRef? ReplyTo,
    Guid? BroadcastId, long? OffsetMs, DateTimeOffset SentAt);

/// <summary>Data of <c>chat.mention</c> in <c>user:{id}</c>: a message that mentions the user.</summary>
public sealed record ChatMention(Guid MessageId, Guid ChannelId, ChatSender Sender, IReadOnlyList<ChatFragment> Fragments, DateTimeOffset SentAt);

/// <summary>What <c>SendChat</c> answers: the message's id, its seq in the stream room, and its status.</summary>
/// <param name="MessageId">The stored message's id (also its envelope id): the first send's for a retry.</param>
/// <param name="Seq">The event's seq; null when the message is not published (status <c>held</c>, moderation).</param>
/// <param name="Status"><see cref="ChatStatuses.Published"/> (moderation will add <c>held</c>).</param>
public sealed record SendChatResult(Guid MessageId, long? Seq, string Status);

/// <summary>The statuses of a sent message.</summary>
public static class ChatStatuses
{
    /// <summary>Stored and published into the stream room.</summary>
    public const string Published = "published";
}
