using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace LiveAspire.Client;

/// <summary>How one connection ended, as seen by the socket: the client decides from this and its own flags
/// (revoked, stopping, reconnect requested) whether to reconnect.</summary>
internal sealed record ConnectionEnd(string Reason, bool CloseReceived, bool AllowReconnect, string? CloseError);

/// <summary>
/// One WebSocket connection speaking the JSON hub protocol: handshake, framing, invocations with ids, keep-alive
/// pings and the server timeout. It never reconnects: <see cref="LiveHubClient"/> replaces it when it ends.
/// Threading: one receive loop reads and dispatches records in order; sends from any thread are serialized by a
/// semaphore; pending invocations live in a concurrent dictionary.
/// </summary>
internal sealed class HubConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly LiveHubClientOptions _options;
    private readonly ILogger _logger;
    private readonly Action<HubConnection, string, JsonElement> _onInvocation;
    private readonly LiveHubCounters _counters;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement?>> _pending = new();
    private readonly TaskCompletionSource<string?> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ConnectionEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private long _nextInvocationId;
    private long _lastReceive = Environment.TickCount64;
    private long _lastSend = Environment.TickCount64;
    private bool _closeReceived;
    private bool _allowReconnect;
    private string? _closeError;
    private volatile string? _abortReason;

    private HubConnection(ClientWebSocket socket, LiveHubClientOptions options, ILogger logger,
        Action<HubConnection, string, JsonElement> onInvocation, LiveHubCounters counters)
    {
        _socket = socket;
        _options = options;
        _logger = logger;
        _onInvocation = onInvocation;
        _counters = counters;
    }

    /// <summary>Completes once the receive loop has ended; pending invocations have failed by then.</summary>
    public Task<ConnectionEnd> Ended => _ended.Task;

    public bool IsOpen => !_ended.Task.IsCompleted && _socket.State == WebSocketState.Open;

    /// <summary>Opens the socket (token in the <c>Authorization</c> header: a request without Origin may not use the
    /// query string) and completes the handshake. Throws <see cref="LiveHubUnauthorizedException"/> on a 401.</summary>
    public static async Task<HubConnection> OpenAsync(LiveHubClientOptions options, string? accessToken, ILogger logger,
        Action<HubConnection, string, JsonElement> onInvocation, LiveHubCounters counters, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        // Liveness is the hub protocol's job (pings both ways); WebSocket-level pings would hide a stuck server.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (!string.IsNullOrEmpty(accessToken))
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + accessToken);
        }
        options.ConfigureWebSocket?.Invoke(socket.Options);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HandshakeTimeout);
        try
        {
            await socket.ConnectAsync(ToWebSocketUri(options.HubUrl), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (status == HttpStatusCode.Unauthorized)
            {
                throw new LiveHubUnauthorizedException();
            }
            throw new LiveHubConnectionException(
                status == 0 ? $"Could not open the WebSocket: {e.Message}" : $"The upgrade was refused with {(int)status}.", e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new LiveHubConnectionException($"The WebSocket did not open within {options.HandshakeTimeout.TotalSeconds:0.#} s.");
        }

        var connection = new HubConnection(socket, options, logger, onInvocation, counters);
        _ = connection.ReceiveLoopAsync();
        try
        {
            await connection.SendAsync(HubProtocol.HandshakeRequest, timeout.Token).ConfigureAwait(false);
            var error = await connection._handshake.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            if (error is not null)
            {
                throw new LiveHubConnectionException($"The server refused the handshake: {error}");
            }
        }
        catch (Exception e)
        {
            connection.Abort("handshake failed");
            await connection.DisposeAsync().ConfigureAwait(false);
            if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new LiveHubConnectionException($"No handshake answer within {options.HandshakeTimeout.TotalSeconds:0.#} s.");
            }
            if (e is WebSocketException or IOException)
            {
                throw new LiveHubConnectionException("The connection closed during the handshake.", e);
            }
            throw;
        }
        _ = connection.KeepAliveLoopAsync();
        return connection;
    }

    private static Uri ToWebSocketUri(Uri url) => url.Scheme switch
    {
        "http" => new UriBuilder(url) { Scheme = "ws" }.Uri,
        "https" => new UriBuilder(url) { Scheme = "wss" }.Uri,
        _ => url,
    };

    /// <summary>Sends an Invocation with an id and waits (bounded) for its Completion; the result is raw JSON
    /// (null when the method returns nothing).</summary>
    public async Task<JsonElement?> InvokeAsync(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        try
        {
            if (_ended.Task.IsCompleted)
            {
                throw new LiveHubConnectionException("The connection is closed.");
            }
            await SendAsync(HubProtocol.Invocation(id, method, arguments), cancellationToken).ConfigureAwait(false);
            return await completion.Task.WaitAsync(_options.InvocationTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No answer to {method} within {_options.InvocationTimeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> record, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(record, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lastSend, Environment.TickCount64);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException)
        {
            throw new LiveHubConnectionException("The connection is closed.", e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Ends the connection at once (no close handshake); the receive loop then ends with this reason.</summary>
    public void Abort(string reason)
    {
        _abortReason ??= reason;
        _socket.Abort();
    }

    /// <summary>Closes politely, then aborts if the server does not finish the close in time. Safe to call from the
    /// receive loop's callbacks only without awaiting (it waits for that loop).</summary>
    public async Task CloseAsync(string reason)
    {
        _abortReason ??= reason;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            // A close frame counts as a send: never alongside a ping or an invocation.
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
            await _ended.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _socket.Abort();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var records = new RecordBuffer(_options.MaxRecordBytes);
        var reason = "closed by the server";
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(records.GetReceiveMemory(), _lifetime.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                Volatile.Write(ref _lastReceive, Environment.TickCount64);
                records.Advance(result.Count);
                while (records.TryReadRecord(out var record))
                {
                    HandleRecord(record);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            reason = "connection lost: " + e.Message;
        }
        catch (Exception e)
        {
            // Malformed records (bad JSON, missing arguments, oversized): this connection cannot be trusted any
            // more, but the loop must still end so the client notices and reconnects.
            Log.ProtocolError(_logger, e.GetType().Name + ": " + e.Message);
            reason = "protocol error";
            _socket.Abort();
        }

        _handshake.TrySetException(new LiveHubConnectionException("The connection closed before the handshake completed."));
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new LiveHubConnectionException("The connection closed before the server answered."));
        }
        _lifetime.Cancel();
        _ended.TrySetResult(new ConnectionEnd(_abortReason ?? reason, _closeReceived, _allowReconnect, _closeError));
    }

    private void HandleRecord(ReadOnlyMemory<byte> record)
    {
        using var document = JsonDocument.Parse(record);
        var root = document.RootElement;
        if (!_handshake.Task.IsCompleted)
        {
            // The handshake answer is "{}" or {"error": "..."}; other records may follow it in the same frame.
            _handshake.TrySetResult(root.TryGetProperty("error", out var error) ? error.GetString() ?? "unknown error" : null);
            return;
        }
        if (!root.TryGetProperty("type", out var typeProperty))
        {
            return;
        }
        switch (typeProperty.GetInt32())
        {
            case HubProtocol.InvocationType:
                var target = root.GetProperty("target").GetString() ?? "";
                if (root.TryGetProperty("invocationId", out var serverInvocationId) && serverInvocationId.GetString() is { } sid)
                {
                    // A client result was requested: this client provides none, so answer at once rather than
                    // leaving the server waiting.
                    _ = SendQuietlyAsync(HubProtocol.CompletionError(sid, "Client results are not supported."));
                }
                _onInvocation(this, target, root.TryGetProperty("arguments", out var arguments) ? arguments : default);
                break;
            case HubProtocol.CompletionType:
                var id = root.GetProperty("invocationId").GetString();
                if (id is not null && _pending.TryRemove(id, out var completion))
                {
                    if (root.TryGetProperty("error", out var invocationError))
                    {
                        completion.TrySetException(new LiveHubInvocationException(invocationError.GetString() ?? "unknown error"));
                    }
                    else
                    {
                        completion.TrySetResult(root.TryGetProperty("result", out var value) ? value.Clone() : null);
                    }
                }
                break;
            case HubProtocol.CloseType:
                _closeReceived = true;
                _allowReconnect = root.TryGetProperty("allowReconnect", out var allow) && allow.ValueKind == JsonValueKind.True;
                _closeError = root.TryGetProperty("error", out var closeError) ? closeError.GetString() : null;
                break;
            default:
                // Ping (6) only proves liveness, recorded above; stream items are not used by the live hub.
                break;
        }
    }

    private async Task SendQuietlyAsync(ReadOnlyMemory<byte> record)
    {
        try
        {
            await SendAsync(record, _lifetime.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LiveHubConnectionException or OperationCanceledException)
        {
            // The connection is ending; nothing to answer any more.
        }
    }

    /// <summary>Sends a Ping when nothing was sent for <see cref="LiveHubClientOptions.KeepAliveInterval"/> (so the
    /// server's client timeout never fires on an idle client), and aborts when nothing at all arrived for
    /// <see cref="LiveHubClientOptions.ServerTimeout"/> (the server pings every 15 s, so silence means a dead link).</summary>
    private async Task KeepAliveLoopAsync()
    {
        var keepAlive = (long)_options.KeepAliveInterval.TotalMilliseconds;
        var serverTimeout = (long)_options.ServerTimeout.TotalMilliseconds;
        Volatile.Write(ref _lastReceive, Environment.TickCount64);
        try
        {
            while (!_lifetime.IsCancellationRequested)
            {
                var now = Environment.TickCount64;
                var pingDue = Volatile.Read(ref _lastSend) + keepAlive;
                var timeoutDue = Volatile.Read(ref _lastReceive) + serverTimeout;
                if (now >= timeoutDue)
                {
                    Log.ServerTimeout(_logger, _options.ServerTimeout.TotalSeconds);
                    Abort("server timeout");
                    return;
                }
                if (now >= pingDue)
                {
                    await SendAsync(HubProtocol.Ping, _lifetime.Token).ConfigureAwait(false);
                    _counters.Increment(ref _counters.PingsSentField);
                    continue;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(pingDue, timeoutDue) - now + 1), _lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is LiveHubConnectionException or OperationCanceledException)
        {
            // The receive loop notices the closed socket and ends the connection.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_ended.Task.IsCompleted)
        {
            Abort("disposed");
        }
        await _ended.Task.ConfigureAwait(false);
        _socket.Dispose();
    }
}
