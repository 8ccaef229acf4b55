namespace LiveAspire.Client;

/// <summary>
/// The connection's life: opening, and the supervisor that replaces a connection when it ends.
/// <para>SignalR's <c>WithAutomaticReconnect</c> is not used: it cannot be told to drop a healthy connection (a
/// <c>Reconnect</c> request, which must land on another replica through the proxy), it keeps retrying after a 401
/// and after a Close without <c>allowReconnect</c>, and its <c>Reconnected</c> event comes after the new connection is
/// already handing out calls. A supervisor that waits for the old <see cref="HubLink"/> to end (closed, and its calls
/// all handled), decides, then starts a fresh <c>HubConnection</c> and resumes every joined room keeps all of that
/// in one place; the room rules (<see cref="RoomTracker"/>) keep what arrives before the resume answer in order.</para>
/// </summary>
public sealed partial class LiveHubClient
{
    private async Task<HubLink> OpenAsync(CancellationToken cancellationToken)
    {
        Counters.Increment(ref Counters.ConnectAttemptsField);
        var link = CreateLink();
        // One budget for the upgrade and the handshake (SignalR's HandshakeTimeout covers the handshake only).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await link.Connection.StartAsync(timeout.Token).ConfigureAwait(false);
            return link;
        }
        catch (Exception e)
        {
            await link.DisposeAsync().ConfigureAwait(false);
            throw e switch
            {
                LiveHubConnectionException => e,
                OperationCanceledException when cancellationToken.IsCancellationRequested => e,
                OperationCanceledException =>
                    new LiveHubConnectionException($"The connection did not open within {_options.HandshakeTimeout.TotalSeconds:0.#} s.", e),
                HubException => new LiveHubConnectionException($"The server refused the handshake: {e.Message}", e),
                _ => new LiveHubConnectionException($"The connection failed while opening: {e.Message}", e),
            };
        }
    }

    /// <summary>Watches the current connection; when it ends, decides between reconnecting and stopping for good.</summary>
    private async Task SuperviseAsync(HubLink current)
    {
        try
        {
            while (true)
            {
                ConnectionEnd end;
                try
                {
                    end = await current.Ended.WaitAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if (_revokedReason is { } revoked)
                {
                    Terminate(LiveHubState.Revoked, revoked);
                    return;
                }
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                var requested = Interlocked.Exchange(ref _reconnectReason, null) is not null;
                // A server that asked for a reconnect may close without allowReconnect right after: the request wins.
                if (end.Close is { AllowReconnect: false } close && !requested)
                {
                    Terminate(LiveHubState.ClosedByServer, close.Error ?? "closed without allowReconnect");
                    return;
                }
                lock (_gate)
                {
                    _state = LiveHubState.Reconnecting;
                }
                Log.Reconnecting(_logger, end.Reason);
                await current.DisposeAsync().ConfigureAwait(false);

                var next = await ReconnectAsync(requested).ConfigureAwait(false);
                if (next is null)
                {
                    return;
                }
                lock (_gate)
                {
                    _link = next;
                    _state = LiveHubState.Connected;
                }
                current = next;
                Counters.Increment(ref Counters.ReconnectsField);
                await ResumeJoinedRoomsAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Every way out (stop, terminal state) leaves no socket open; disposing twice is harmless.
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Retries until connected (null when the client stopped or the token was refused). Exponential backoff
    /// with jitter; a server-requested reconnect tries at once.</summary>
    private async Task<HubLink?> ReconnectAsync(bool requested)
    {
        for (var attempt = 1; ; attempt++)
        {
            var delay = requested && attempt == 1
                ? TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * _options.ReconnectBaseDelay.TotalMilliseconds)
                : Backoff(requested ? attempt - 1 : attempt);
            try
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                var link = await OpenAsync(_stopping.Token).ConfigureAwait(false);
                Log.Reconnected(_logger, attempt);
                return link;
            }
            catch (LiveHubUnauthorizedException)
            {
                Terminate(LiveHubState.Unauthorized, "401 on the upgrade while reconnecting");
                return null;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return null;
            }
            catch (LiveHubConnectionException e)
            {
                Log.ReconnectFailed(_logger, attempt, e.Message, (long)Backoff(attempt).TotalMilliseconds);
            }
        }
    }

    /// <summary>Nominal delay base·2^(n-1), capped; the actual delay is drawn between half and all of it.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var nominal = Math.Min(_options.ReconnectMaxDelay.TotalMilliseconds,
            _options.ReconnectBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
        return TimeSpan.FromMilliseconds(nominal / 2 + Random.Shared.NextDouble() * nominal / 2);
    }

    private async Task ResumeJoinedRoomsAsync()
    {
        Dictionary<string, RoomPosition?> request;
        lock (_gate)
        {
            request = _rooms.JoinedRooms();
        }
        IReadOnlyDictionary<string, ResumeResult> results = new Dictionary<string, ResumeResult>();
        if (request.Count > 0)
        {
            try
            {
                results = await ResumeAsync(request, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is LiveHubConnectionException or LiveHubInvocationException or TimeoutException or OperationCanceledException)
            {
                // Lost again: the supervisor reconnects and asks again. A refused Resume waits for the next gap or reconnect.
                Log.ResumeFailed(_logger, e.Message);
                return;
            }
        }
        Raise(Reconnected, h => h(results), nameof(Reconnected));
    }
}
