using LiveAspire.Contracts.Chat;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Client;

public sealed partial class LiveHubClient
{
    /// <summary>
    /// Sends a chat message into <c>stream:{channelId}</c> (docs/chat.md). Pass a new <paramref name="clientMsgId"/>
    /// per message and the same one when retrying it after a failure: the server stores and publishes it once.
    /// A refusal throws <see cref="LiveHubInvocationException"/> with its <see cref="LiveHubInvocationException.Code"/>
    /// and, where waiting helps, <see cref="LiveHubInvocationException.RetryAfterMs"/>.
    /// </summary>
    public Task<SendChatResult> SendChatAsync(string channelId, string text, string clientMsgId, string? replyToId = null,
        CancellationToken cancellationToken = default)
        => InvokeAsync<SendChatResult>(LiveHubContract.SendChat, [channelId, text, replyToId, clientMsgId], cancellationToken);
}
