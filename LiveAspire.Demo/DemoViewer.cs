using LiveAspire.Client;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Demo.Api;

namespace LiveAspire.Demo;

/// <summary>
/// One simulated viewer: stays away a while, then watches a live demo stream for a while over a real hub connection
/// (LiveAspire.Client, as any .NET client connects), then leaves, and again, until the demo stops. Each visit is its
/// own connection, opened with a guest token of the channel (<see cref="GuestTokens"/>) or, for a signed-in viewer,
/// with a demo performer's access token (<see cref="DemoAccount"/>); so the stream rooms' viewer counts
/// (<c>presence.count</c>) move as the viewers come and go.
/// </summary>
public sealed partial class DemoViewer(int number, DemoAccount? account, GuestTokens? guests, Uri hubUrl, DemoStage stage,
    DemoMetrics metrics, DemoOptions options, ILoggerFactory loggers)
{
    /// <summary>Wait before looking again when no demo channel is live yet.</summary>
    private static readonly TimeSpan NothingLiveDelay = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger = loggers.CreateLogger<DemoViewer>();

    private string Kind => account is null ? DemoMetrics.Guest : DemoMetrics.SignedIn;

    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                // Away for up to one visit's length: viewers arrive spread out, not all at once.
                await Task.Delay(DemoTimes.UpTo(options.ViewerVisit), stopping);
                if (stage.Pick(account?.UserId, guests?.Group) is not { } channel)
                {
                    await Task.Delay(NothingLiveDelay, stopping);
                    continue;
                }
                await VisitAsync(channel, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task VisitAsync(LiveDemoChannel visited, CancellationToken stopping)
    {
        var channel = visited.ChannelId;
        var room = LiveHubClient.StreamRoom(channel.ToString("D"));
        await using var client = new LiveHubClient(new LiveHubClientOptions
        {
            HubUrl = new Uri(hubUrl, Contracts.Realtime.LiveHubContract.Path),
            // Asked before every connection attempt, reconnects included: a token with time left each time.
            AccessTokenProvider = async ct => await TokenAsync(channel, ct),
        }, loggers.CreateLogger<LiveHubClient>());
        try
        {
            // Asked here first so that Api's answer (a 403 guests_not_allowed, an unreachable Api) is seen as such.
            await TokenAsync(channel, stopping);
            await client.ConnectAsync(stopping);
            if ((await client.JoinStreamAsync(channel.ToString("D"), stopping)).Error is { } code)
            {
                LogNotJoined(_logger, number, room, code);
                return;
            }
        }
        catch (LiveHubUnauthorizedException)
        {
            // A guest token of a channel that stopped allowing guests, or one past its time: ask anew next visit.
            if (guests is not null)
            {
                await guests.RefusedAsync(channel, stopping);
            }
            account?.TokenRefused();
            LogNotJoined(_logger, number, room, "401 on the upgrade");
            return;
        }
        catch (Exception e) when (!stopping.IsCancellationRequested
            && (e is LiveHubConnectionException or LiveHubInvocationException or TimeoutException or ApiRefusal or DemoAccountUnavailable || ApiFailures.IsTransient(e)))
        {
            LogNotJoined(_logger, number, room, e.Message);
            return;
        }
        metrics.Joined(Kind);
        LogJoined(_logger, number, Kind, room);
        try
        {
            // Read what arrives, as a client does (the events channel is unbounded); the visit ends after its time,
            // or sooner if the server ends the session for good.
            var seen = new RecentMessages();
            var reading = ReadAllAsync(client, room, seen);
            using var visit = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            // A signed-in viewer chats while watching (guests cannot send).
            var chatting = account is null ? Task.CompletedTask : ChatAsync(client, visited, seen, visit.Token);
            await Task.WhenAny(Task.Delay(DemoTimes.Around(options.ViewerVisit), stopping), client.Terminated);
            await visit.CancelAsync();
            await chatting;
            await client.StopAsync();
            await reading;
        }
        finally
        {
            metrics.Left(Kind);
            LogLeft(_logger, number, room);
        }
    }

    private async ValueTask<string?> TokenAsync(Guid channel, CancellationToken cancellationToken)
        => account is not null
            ? await account.AccessTokenAsync(cancellationToken)
            : await guests!.ForAsync(channel, cancellationToken);

    /// <summary>Reads what arrives, as a client does, remembering the room's latest chat messages to reply to.</summary>
    private static async Task ReadAllAsync(LiveHubClient client, string room, RecentMessages seen)
    {
        await foreach (var envelope in client.Events.ReadAllAsync())
        {
            if (envelope.Room == room && envelope.Type == EventTypes.ChatMessage
                && envelope.Data.TryGetProperty("id", out var id) && id.TryGetGuid(out var messageId)
                && envelope.Data.TryGetProperty("sender", out var sender) && sender.TryGetProperty("id", out var senderId) && senderId.TryGetGuid(out var from))
            {
                seen.Add(messageId, from);
            }
        }
    }

    /// <summary>
    /// Says something every <see cref="DemoOptions.ChatInterval"/> or so: a line with the channel's emote, a mention of
    /// its performer, a link or an emoji, and now and then a reply to someone else's recent message. A refusal that
    /// asks to wait (the per-user limit, the duplicate guard) is waited out, as a polite client does.
    /// </summary>
    private async Task ChatAsync(LiveHubClient client, LiveDemoChannel channel, RecentMessages seen, CancellationToken visit)
    {
        try
        {
            while (true)
            {
                await Task.Delay(DemoTimes.Around(options.ChatInterval), visit);
                var replyTo = Random.Shared.Next(3) == 0 ? seen.LatestNotMine() : null;
                var text = DemoLines.Pick(replyTo is not null, channel.EmoteCode, channel.PerformerName);
                try
                {
                    var sent = await client.SendChatAsync(channel.ChannelId.ToString("D"), text, Guid.NewGuid().ToString("N"), replyTo?.ToString("D"), visit);
                    seen.Mine(sent.MessageId);
                    metrics.Chatted("sent");
                }
                catch (LiveHubInvocationException e)
                {
                    metrics.Chatted(e.Code ?? "refused");
                    LogChatRefused(_logger, number, e.Message);
                    if (e.RetryAfterMs is { } wait)
                    {
                        await Task.Delay(wait, visit);
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or LiveHubConnectionException)
        {
            // The visit ended, or the connection did.
        }
    }

    /// <summary>The latest few chat messages seen in the room, and which of them this viewer sent (viewers may share
    /// an account, so "mine" is by message, not by sender).</summary>
    private sealed class RecentMessages
    {
        private readonly Lock _gate = new();
        private readonly Queue<(Guid Id, Guid Sender)> _messages = new();
        private readonly HashSet<Guid> _mine = [];

        public void Mine(Guid id)
        {
            lock (_gate)
            {
                _mine.Add(id);
            }
        }

        public void Add(Guid id, Guid sender)
        {
            lock (_gate)
            {
                _messages.Enqueue((id, sender));
                if (_messages.Count > 10)
                {
                    _messages.Dequeue();
                }
            }
        }

        public Guid? LatestNotMine()
        {
            lock (_gate)
            {
                return _messages.Reverse().Where(m => !_mine.Contains(m.Id)).Select(m => (Guid?)m.Id).FirstOrDefault();
            }
        }
    }

    [LoggerMessage(EventId = 8404, Level = LogLevel.Debug, Message = "Demo viewer {Number}'s chat message was refused ({Reason})")]
    private static partial void LogChatRefused(ILogger logger, int number, string reason);

    [LoggerMessage(EventId = 8401, Level = LogLevel.Debug, Message = "Demo viewer {Number} ({Kind}) joined {Room}")]
    private static partial void LogJoined(ILogger logger, int number, string kind, string room);

    [LoggerMessage(EventId = 8402, Level = LogLevel.Debug, Message = "Demo viewer {Number} left {Room}")]
    private static partial void LogLeft(ILogger logger, int number, string room);

    [LoggerMessage(EventId = 8403, Level = LogLevel.Information, Message = "Demo viewer {Number} could not join {Room} ({Reason}); trying another visit later")]
    private static partial void LogNotJoined(ILogger logger, int number, string room, string reason);
}
