using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace LiveAspire.Client;

/// <summary>How one connection ended: the client decides from this and its own flags (revoked, stopping, reconnect
/// requested) whether to reconnect.</summary>
internal sealed record ConnectionEnd(string Reason, CloseMessage? Close);

/// <summary>
/// One SignalR <see cref="HubConnection"/> (one WebSocket, no negotiation, no automatic reconnect) and what was seen
/// on it. It never reconnects: <see cref="LiveHubClient"/> replaces it when it ends.
/// <para><see cref="Ended"/> completes only once the connection is closed <b>and</b> every server-to-client call it
/// received has been handled. SignalR handles a Close message on its receive loop but runs handlers on a separate
/// dispatch loop, so without the wait a <c>Revoked</c> or <c>Reconnect</c> sent just before the server closes could
/// still be queued when the client decides what the close means (and envelopes before it could be lost).</para>
/// </summary>
internal sealed class HubLink : IAsyncDisposable
{
    private readonly HashSet<string> _targets = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private int _queued;
    private string? _closedReason;
    private volatile CloseMessage? _close;

    public HubLink(LiveHubClientOptions options, LiveHubCounters counters)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(options.HubUrl, HttpTransportType.WebSockets, http =>
            {
                // No negotiation: any replica behind the round-robin proxy can take the socket (no session affinity).
                http.SkipNegotiation = true;
                http.WebSocketFactory = (context, cancellationToken) => OpenWebSocketAsync(options, context.Uri, cancellationToken);
            });
        builder.Services.AddSingleton<IHubProtocol>(new WatchedHubProtocol(this, options.MaxRecordBytes, counters));
        Connection = builder.Build();
        Connection.HandshakeTimeout = options.HandshakeTimeout;
        Connection.KeepAliveInterval = options.KeepAliveInterval;
        Connection.ServerTimeout = options.ServerTimeout;
        Connection.Closed += error =>
        {
            lock (_gate)
            {
                // SignalR's error already names a Close message's error text, a server timeout or the socket's failure.
                _closedReason = error?.Message ?? (_close is null ? "closed" : "closed by the server");
                TryEnd();
            }
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    public bool IsOpen => Connection.State == HubConnectionState.Connected;

    /// <summary>Completes once the connection closed and its received calls were all handled.</summary>
    public Task<ConnectionEnd> Ended => _ended.Task;

    /// <summary>Registers a server-to-client handler and counts it done when it returns (see <see cref="Ended"/>).</summary>
    public void On<T>(string target, Action<T> handler)
    {
        _targets.Add(target);
        Connection.On<T>(target, argument =>
        {
            try
            {
                handler(argument);
            }
            finally
            {
                Handled();
            }
        });
    }

    /// <inheritdoc cref="On{T}(string, Action{T})"/>
    public void On<T1, T2, T3>(string target, Action<T1, T2, T3> handler)
    {
        _targets.Add(target);
        Connection.On<T1, T2, T3>(target, (a, b, c) =>
        {
            try
            {
                handler(a, b, c);
            }
            finally
            {
                Handled();
            }
        });
    }

    /// <summary>Whether <paramref name="error"/> is SignalR's report of the server's Close message (which fails every
    /// pending invocation with a <c>HubException</c>, like an error the server returned for one call).</summary>
    public bool ClosedWith(Exception error)
        => _close?.Error is { } closeError && error.Message.EndsWith(closeError, StringComparison.Ordinal);

    /// <summary>Called by the protocol on the receive loop, in wire order, for every parsed message.</summary>
    internal void Received(HubMessage message)
    {
        switch (message)
        {
            case InvocationMessage invocation when _targets.Contains(invocation.Target):
                lock (_gate)
                {
                    _queued++;
                }
                break;
            case CloseMessage close:
                _close = close;
                break;
        }
    }

    private void Handled()
    {
        lock (_gate)
        {
            _queued--;
            TryEnd();
        }
    }

    private void TryEnd()
    {
        if (_closedReason is { } reason && _queued == 0)
        {
            _ended.TrySetResult(new ConnectionEnd(reason, _close));
        }
    }

    /// <summary>The WebSocket under the connection. SignalR's own factory would set the same <c>Authorization:
    /// Bearer</c> header from its <c>AccessTokenProvider</c> (outside browsers); this one replaces it because only the
    /// socket it creates knows the upgrade's status code, and a 401 must stop the client instead of being retried
    /// like any other failed connect (SignalR reports both as a bare <see cref="WebSocketException"/>).</summary>
    private static async ValueTask<WebSocket> OpenWebSocketAsync(LiveHubClientOptions options, Uri url, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        // Liveness is the hub protocol's job (pings both ways); WebSocket-level pings would hide a stuck server.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var token = options.AccessTokenProvider is { } provider ? await provider(cancellationToken).ConfigureAwait(false) : null;
        if (!string.IsNullOrEmpty(token))
        {
            // A request without Origin may not carry its token in the query string (docs/protocol.md, section 1).
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }
        options.ConfigureWebSocket?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw status == HttpStatusCode.Unauthorized
                ? new LiveHubUnauthorizedException()
                : new LiveHubConnectionException(
                    status == 0 ? $"Could not open the WebSocket: {e.Message}" : $"The upgrade was refused with {(int)status}.", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
