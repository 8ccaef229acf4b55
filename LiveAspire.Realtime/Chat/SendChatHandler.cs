using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using LiveAspire.Access;
using LiveAspire.Chat;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Chat;
using LiveAspire.Data.Chat;
using LiveAspire.Hosting;
using LiveAspire.Postgres;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Realtime.Telemetry;
using LiveAspire.Rooms;

namespace LiveAspire.Realtime.Chat;

/// <summary>
/// <c>SendChat</c> (docs/chat.md, "Sending"): validate → store in a group commit → publish (which assigns the seq) →
/// answer. Validation is the text rule and the parse into fragments (LiveAspire.Chat, the one check every message
/// passes), the channel, the reply's parent, and the cluster-wide limits. The sender, its name and its badges come
/// from the token and the database, never from the payload. A send repeated with the same <c>clientMsgId</c> finds
/// the stored message (the insert is idempotent by sender and <c>clientMsgId</c>) and publishes it again under its
/// own id as envelope id, which the room answers as a duplicate when it was published already: one row, one event,
/// the same answer. A publish that fails (<c>redis_unavailable</c>) leaves the stored message for the client's retry
/// or, failing that, the Worker's sweep.
/// </summary>
public sealed partial class SendChatHandler(
    ChatDirectory directory,
    ChatLimiter limiter,
    ChatCommitQueue store,
    ChatPublishedMarks marks,
    IRoomPublisher publisher,
    FaultHooks faults,
    TimeProvider time,
    IOptions<ChatStoreOptions> storeOptions,
    ILogger<SendChatHandler> logger)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<SendChatResult> SendAsync(LiveConnection connection, ClaimsPrincipal? user, string? channelId, string? text, string? replyToId,
        string? clientMsgId, CancellationToken cancellationToken)
    {
        try
        {
            var result = await SendCheckedAsync(connection, user, channelId, text, replyToId, clientMsgId, cancellationToken);
            return result;
        }
        catch (HubException e)
        {
            // Every refusal counted by its code (the text before the first colon).
            ChatTelemetry.Refused(e.Message.Split(':', 2)[0]);
            throw;
        }
    }

    private async Task<SendChatResult> SendCheckedAsync(LiveConnection connection, ClaimsPrincipal? user, string? channelId, string? text,
        string? replyToId, string? clientMsgId, CancellationToken cancellationToken)
    {
        if (connection.UserId is not { } senderId)
        {
            throw Refuse(HubErrorCodes.GuestForbidden, "guests may only watch; log in to chat");
        }
        if (!Guid.TryParse(channelId, out var channel) || channelId!.Length != 36)
        {
            throw Refuse(HubErrorCodes.InvalidArgument, "channelId must be a channel's id (a uuid)");
        }
        if (string.IsNullOrEmpty(clientMsgId) || clientMsgId.Length > 64 || clientMsgId.Any(c => c is < '!' or > '~'))
        {
            throw Refuse(HubErrorCodes.InvalidArgument, "clientMsgId must be 1 to 64 printable ASCII characters, new for each message");
        }
        Guid? replyTo = null;
        if (replyToId is not null)
        {
            if (!Guid.TryParse(replyToId, out var parentId) || replyToId.Length != 36)
            {
                throw Refuse(HubErrorCodes.InvalidArgument, "replyToId must be a message's id (a uuid) or null");
            }
            replyTo = parentId;
        }
        if (!ChatText.TryNormalize(text, out var body, out var problem))
        {
            throw Refuse(problem!, problem switch
            {
                HubErrorCodes.ChatEmpty => "the message is empty",
                HubErrorCodes.ChatTooLong => $"a message has at most {ChatText.MaxLength} characters",
                _ => "the message is not valid text",
            });
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var channelInfo = await directory.ChannelAsync(channel, cancellationToken)
                ?? throw Refuse(HubErrorCodes.ChannelNotFound, "no channel has this id");
            var limiting = Stopwatch.GetTimestamp();
            var verdict = await limiter.CheckAsync(channel, senderId, body, clientMsgId, cancellationToken);
            var limited = Stopwatch.GetTimestamp();
            if (!verdict.Allowed)
            {
                throw Refuse(verdict.Code!, $"{Describe(verdict.Code!)}; retry after {verdict.RetryAfterMs} ms");
            }
            var row = await ComposeAsync(connection, user, senderId, channel, channelInfo, body, replyTo, clientMsgId, cancellationToken);
            StoredChat stored;
            var storing = Stopwatch.GetTimestamp();
            try
            {
                stored = await store.StoreAsync(row);
            }
            catch (ChatQueueFullException)
            {
                throw Refuse(HubErrorCodes.ChatBusy, $"too many messages are waiting to be stored; retry after {storeOptions.Value.BusyRetryAfterMs} ms");
            }
            if (stored.Seq is { } seq)
            {
                // A retry of a message already published and marked: the same answer, nothing published again.
                return new SendChatResult(stored.Id, seq, ChatStatuses.Published);
            }
            var publishing = Stopwatch.GetTimestamp();
            var published = await PublishAsync(channel, stored, clientMsgId);
            var done = Stopwatch.GetTimestamp();
            if (stored.IsNew)
            {
                await MentionAsync(stored, cancellationToken);
            }
            ChatTelemetry.Sent(stored.IsNew);
            ChatTelemetry.Step("limits", limiting, limited);
            ChatTelemetry.Step("store", storing, publishing);
            ChatTelemetry.Step("publish", publishing, done);
            ChatTelemetry.Step("total", started, Stopwatch.GetTimestamp());
            return new SendChatResult(stored.Id, published.Seq, ChatStatuses.Published);
        }
        catch (RoomStoreUnavailableException)
        {
            throw Refuse(HubErrorCodes.RedisUnavailable, "Redis cannot be reached; retry with the same clientMsgId");
        }
        catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
        {
            throw Refuse(HubErrorCodes.DatabaseUnavailable, "PostgreSQL cannot be reached; retry with the same clientMsgId");
        }
    }

    /// <summary>The message as it is stored and published: sender with badges, fragments, reply reference, broadcast offset.</summary>
    private async Task<ChatRow> ComposeAsync(LiveConnection connection, ClaimsPrincipal? principal, Guid senderId, Guid channel, ChatChannel channelInfo,
        string body, Guid? replyTo, string clientMsgId, CancellationToken cancellationToken)
    {
        ChatReplyRef? reply = null;
        if (replyTo is { } parentId)
        {
            var parent = await ChatQueries.ReadParentAsync(directory.Database, channel, parentId, cancellationToken)
                ?? throw Refuse(HubErrorCodes.ChatReplyNotFound, "replyToId names no message of this channel");
            reply = new ChatReplyRef(parent.Id, parent.SenderId, parent.SenderName, ChatText.Quote(parent.Body));
        }
        var sender = await directory.UserAsync(senderId, cancellationToken)
            ?? throw Refuse(HubErrorCodes.Unauthorized, "the token's user does not exist");
        var senderRoles = await directory.RolesAsync(channel, senderId, cancellationToken);
        var fragments = await FragmentsAsync(channel, body, cancellationToken);

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        long? offset = channelInfo.BroadcastStartedAt is { } started ? Math.Max(0, (long)(now - started).TotalMilliseconds) : null;
        var message = new ChatMessage(id, channel, new ChatSender(senderId, sender.Username, Badges(principal, sender, channelInfo, senderId, senderRoles)),
            fragments, reply, channelInfo.BroadcastId, offset, now);
        _ = connection;
        return new ChatRow(id, channel, senderId, clientMsgId, body, JsonSerializer.Serialize(message, Json), replyTo,
            channelInfo.BroadcastId, offset, now);
    }

    private async Task<IReadOnlyList<ChatFragment>> FragmentsAsync(Guid channel, string body, CancellationToken cancellationToken)
    {
        var tokens = ChatTokens.Find(body);
        var emotes = tokens.EmoteCodes.Count == 0
            ? new Dictionary<string, ChatEmoteRef>()
            : (await directory.EmotesAsync(channel, cancellationToken))
                .Where(e => tokens.EmoteCodes.Contains(e.Key))
                .ToDictionary(e => e.Key, e => new ChatEmoteRef(e.Value.Id, $"/api/emotes/{e.Value.Id:D}/image"), StringComparer.Ordinal);
        var users = tokens.MentionNames.Count == 0
            ? new Dictionary<string, ChatUserRef>()
            : (await directory.UsersByNameAsync(tokens.MentionNames, cancellationToken))
                .ToDictionary(u => u.Key, u => new ChatUserRef(u.Value.Id, u.Value.Username), StringComparer.Ordinal);
        return ChatFragments.Build(body, emotes, users);
    }

    /// <summary>Badges in rank order: admin (global role, from the database), performer, moderator, subscriber tier.</summary>
    private static List<string> Badges(ClaimsPrincipal? principal, ChatUser sender, ChatChannel channel, Guid senderId, Data.Access.ChannelRoles roles)
    {
        var badges = new List<string>(2);
        if (sender.GlobalRole == GlobalRoles.Admin || principal?.HasClaim(TokenClaims.Role, GlobalRoles.Admin) == true)
        {
            badges.Add(ChatBadges.Admin);
        }
        if (channel.OwnerId == senderId)
        {
            badges.Add(ChatBadges.Performer);
        }
        else if (roles.IsModerator)
        {
            badges.Add(ChatBadges.Moderator);
        }
        if (roles.IsSubscriber)
        {
            badges.Add(ChatBadges.Subscriber(Math.Clamp(roles.SubscriberTier, 1, 3)));
        }
        return badges;
    }

    private async Task<PublishResult> PublishAsync(Guid channel, StoredChat stored, string clientMsgId)
    {
        if (await faults.DropsAsync(FaultHookNames.ChatBeforePublish, clientMsgId))
        {
            throw new RoomStoreUnavailableException("fault hook chat-before-publish: publish dropped");
        }
        using var data = JsonDocument.Parse(stored.Message);
        // Not cancelled with the call: once stored, the message is published if Redis can take it.
        var result = await publisher.PublishAsync(RoomName.Stream(channel).ToString(), EventTypes.ChatMessage, data.RootElement, stored.Id.ToString("D"),
            CancellationToken.None);
        marks.Published(stored.Id, result.Seq);
        return result;
    }

    /// <summary><c>chat.mention</c> to each mentioned user's <c>user:</c> room but the sender's own; best effort (a hint,
    /// droppable like all chat: the message itself is in the stream room and in history).</summary>
    private async Task MentionAsync(StoredChat stored, CancellationToken cancellationToken)
    {
        var message = JsonSerializer.Deserialize<ChatMessage>(stored.Message, Json)!;
        var mentioned = message.Fragments.Where(f => f.Type == ChatFragmentTypes.Mention && f.UserId is { } u && u != message.Sender.Id)
            .Select(f => f.UserId!.Value).Distinct().ToList();
        foreach (var user in mentioned)
        {
            try
            {
                var data = JsonSerializer.SerializeToElement(new ChatMention(message.Id, message.ChannelId, message.Sender, message.Fragments, message.SentAt), Json);
                await publisher.PublishAsync(RoomName.User(user).ToString(), EventTypes.ChatMention, data, $"{message.Id:N}{user:N}", cancellationToken);
            }
            catch (Exception e)
            {
                // The message is stored and published: a lost hint must not turn the send into a failure.
                LogMentionLost(logger, message.Id, user, e.Message);
            }
        }
    }

    private static string Describe(string code) => code switch
    {
        HubErrorCodes.ChatRateLimited => "you are sending messages too fast",
        HubErrorCodes.ChatChannelBusy => "this chat is too busy right now",
        HubErrorCodes.ChatDuplicate => "you sent the same message a moment ago",
        _ => "refused",
    };

    private static HubException Refuse(string code, string message) => new($"{code}: {message}");

    [LoggerMessage(EventId = 3801, Level = LogLevel.Warning, Message = "chat.mention of message {MessageId} to user {UserId} was not published ({Error})")]
    private static partial void LogMentionLost(ILogger logger, Guid messageId, Guid userId, string error);
}
