using LiveAspire.Contracts.Chat;
using LiveAspire.Realtime.Chat;
using Microsoft.AspNetCore.Mvc;

namespace LiveAspire.Realtime.Hubs;

// Chat's hub methods (docs/chat.md, docs/protocol.md). Not for guests (GuestMethodFilter refuses them with
// guest_forbidden): a guest watches and reads chat, and sends nothing.
public sealed partial class LiveHub
{
    /// <summary>
    /// Sends a chat message into <c>stream:{channelId}</c> as the token's user: answers <c>{messageId, seq, status}</c>
    /// once the message is stored and published, or fails with a documented code (docs/errors.md). The same
    /// <paramref name="clientMsgId"/> again (a retry after a lost answer) is the same message: one row, one event, the same answer.
    /// </summary>
    public Task<SendChatResult> SendChat(string channelId, string text, string? replyToId, string clientMsgId, [FromServices] SendChatHandler chat)
        => chat.SendAsync(Connection, Context.User, channelId, text, replyToId, clientMsgId, Context.ConnectionAborted);
}
