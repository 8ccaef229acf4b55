using Microsoft.AspNetCore.SignalR.Client;

namespace LiveAspire.Client;

/// <summary>The server-to-client methods (<see cref="ILiveClient"/>), run by SignalR on the connection's dispatch loop.</summary>
public sealed partial class LiveHubClient
{
    private HubLink CreateLink()
    {
        var link = new HubLink(_options, Counters);
        link.On<EventEnvelope[]>(nameof(ILiveClient.Events), envelopes =>
        {
            foreach (var envelope in envelopes)
            {
                OnEnvelope(envelope);
            }
        });
        link.On<string>(nameof(ILiveClient.Reconnect), reason =>
        {
            _reconnectReason = reason;
            Log.ReconnectRequested(_logger, reason);
            Raise(ReconnectRequested, h => h(reason), nameof(ReconnectRequested));
            _ = StopQuietlyAsync(link);
        });
        link.On<string>(nameof(ILiveClient.Revoked), reason =>
        {
            _revokedReason = reason;
            Raise(Revoked, h => h(reason), nameof(Revoked));
            _ = StopQuietlyAsync(link);
        });
        link.On<long, int?, string?>(nameof(ILiveClient.Heartbeat), (serverTs, rttMs, quality) =>
        {
            // Answer first (the round trip is what the server measures), then record what it measured last time.
            _ = SendQuietlyAsync(link, LiveHubContract.HeartbeatAck, serverTs);
            if (rttMs is not null)
            {
                _lastRttMs = rttMs;
                _quality = quality;
            }
        });
        link.On<string, string, int?>(nameof(ILiveClient.Error), (code, message, retryAfterMs) =>
        {
            var error = new LiveHubError(code, message, retryAfterMs);
            Log.ServerError(_logger, error.Code, error.Message, error.RetryAfterMs);
            Raise(ErrorReceived, h => h(error), nameof(ErrorReceived));
        });
        return link;
    }

    /// <summary>Closes a connection from its own handler without waiting there: the handler must return for the
    /// connection to end (<see cref="HubLink.Ended"/>), and the supervisor takes it from there.</summary>
    private static async Task StopQuietlyAsync(HubLink link)
    {
        await Task.Yield();
        try
        {
            await link.Connection.StopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // Already closed or replaced.
        }
    }

    private static async Task SendQuietlyAsync(HubLink link, string method, object? argument)
    {
        try
        {
            await link.Connection.SendAsync(method, argument).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or IOException or OperationCanceledException)
        {
            // The connection is ending; nothing to answer any more.
        }
    }
}
