using System.Text.Json;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Client;

/// <summary>The connection's life: opening, the reconnect loop, and what the server's messages do.</summary>
public sealed partial class LiveHubClient
{
    private async Task<HubConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Counters.Increment(ref Counters.ConnectAttemptsField);
        var token = _options.AccessTokenProvider is { } provider ? await provider(cancellationToken).ConfigureAwait(false) : null;
        return await HubConnection.OpenAsync(_options, token, _logger, OnInvocation, Counters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Watches the current connection; when it ends, decides between reconnecting and stopping for good.</summary>
    private async Task SuperviseAsync(HubConnection current)
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
                await current.CloseAsync("stopped by the client").ConfigureAwait(false);
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
            // A server that asked for a reconnect may close with allowReconnect false right after: the request wins.
            if (end.CloseReceived && !end.AllowReconnect && !requested)
            {
                Terminate(LiveHubState.ClosedByServer, end.CloseError ?? "closed without allowReconnect");
                return;
            }
            lock (_gate)
            {
                _state = LiveHubState.Reconnecting;
            }
            Log.Reconnecting(_logger, end.CloseError is { } error ? $"{end.Reason}: {error}" : end.Reason);

            var next = await ReconnectAsync(requested).ConfigureAwait(false);
            if (next is null)
            {
                return;
            }
            lock (_gate)
            {
                _connection = next;
                _state = LiveHubState.Connected;
            }
            await current.DisposeAsync().ConfigureAwait(false);
            current = next;
            Counters.Increment(ref Counters.ReconnectsField);
            await ResumeJoinedRoomsAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Retries until connected (null when the client stopped or the token was refused). Exponential backoff
    /// with jitter; a server-requested reconnect tries at once.</summary>
    private async Task<HubConnection?> ReconnectAsync(bool requested)
    {
        for (var attempt = 1; ; attempt++)
        {
            var delay = requested && attempt == 1
                ? TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * _options.ReconnectBaseDelay.TotalMilliseconds)
                : Backoff(requested ? attempt - 1 : attempt);
            try
            {
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                var connection = await OpenAsync(_stopping.Token).ConfigureAwait(false);
                Log.Reconnected(_logger, attempt);
                return connection;
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

    /// <summary>Resumes one room that fell behind (a gap marker or an envelope that skipped ahead).</summary>
    private async Task ResumeRoomAsync(string room)
    {
        RoomPosition? position;
        lock (_gate)
        {
            position = _rooms.PositionOf(room);
        }
        try
        {
            await ResumeAsync(new Dictionary<string, RoomPosition?> { [room] = position }, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LiveHubConnectionException or LiveHubInvocationException or TimeoutException or OperationCanceledException)
        {
            Log.ResumeFailed(_logger, e.Message);
        }
    }

    /// <summary>Server-to-client calls, on the connection's receive loop (in order).</summary>
    private void OnInvocation(HubConnection connection, string target, JsonElement arguments)
    {
        if (target.Equals(nameof(ILiveClient.Events), StringComparison.OrdinalIgnoreCase))
        {
            var envelopes = arguments[0].Deserialize<EventEnvelope[]>(HubProtocol.Json) ?? [];
            foreach (var envelope in envelopes)
            {
                OnEnvelope(envelope);
            }
        }
        else if (target.Equals(nameof(ILiveClient.Reconnect), StringComparison.OrdinalIgnoreCase))
        {
            var reason = arguments[0].GetString() ?? "";
            _reconnectReason = reason;
            Log.ReconnectRequested(_logger, reason);
            Raise(ReconnectRequested, h => h(reason), nameof(ReconnectRequested));
            _ = connection.CloseAsync("reconnect requested");
        }
        else if (target.Equals(nameof(ILiveClient.Revoked), StringComparison.OrdinalIgnoreCase))
        {
            var reason = arguments[0].GetString() ?? "";
            _revokedReason = reason;
            Raise(Revoked, h => h(reason), nameof(Revoked));
            _ = connection.CloseAsync("revoked");
        }
        else if (target.Equals(nameof(ILiveClient.Heartbeat), StringComparison.OrdinalIgnoreCase))
        {
            // Answer first (the round trip is what the server measures), then record what it measured last time.
            var serverTs = arguments[0].GetInt64();
            _ = connection.SendAsync(HubProtocol.Invocation(null, LiveHubContract.HeartbeatAck, [serverTs]), CancellationToken.None);
            if (arguments.GetArrayLength() > 2 && arguments[1].ValueKind == JsonValueKind.Number)
            {
                _lastRttMs = arguments[1].GetInt32();
                _quality = arguments[2].GetString();
            }
        }
        else if (target.Equals(nameof(ILiveClient.Error), StringComparison.OrdinalIgnoreCase))
        {
            var error = new LiveHubError(arguments[0].GetString() ?? "", arguments[1].GetString() ?? "",
                arguments.GetArrayLength() > 2 && arguments[2].ValueKind == JsonValueKind.Number ? arguments[2].GetInt32() : null);
            Log.ServerError(_logger, error.Code, error.Message, error.RetryAfterMs);
            Raise(ErrorReceived, h => h(error), nameof(ErrorReceived));
        }
    }

    private void OnEnvelope(EventEnvelope envelope)
    {
        EnvelopeVerdict verdict;
        bool startResume;
        RoomPosition? position;
        lock (_gate)
        {
            verdict = _rooms.Accept(envelope, out startResume);
            position = _rooms.PositionOf(envelope.Room);
        }
        switch (verdict)
        {
            case EnvelopeVerdict.Deliver:
                Counters.Increment(ref Counters.EventsDeliveredField);
                _events.Writer.TryWrite(envelope);
                break;
            case EnvelopeVerdict.Duplicate:
                Counters.Increment(ref Counters.DuplicatesDroppedField);
                break;
            case EnvelopeVerdict.Stale:
                Counters.Increment(ref Counters.StaleDroppedField);
                break;
            case EnvelopeVerdict.OutOfOrder:
                Counters.Increment(ref Counters.OutOfOrderDroppedField);
                break;
        }
        if (startResume)
        {
            Counters.Increment(ref Counters.GapResumesField);
            Log.RoomBehind(_logger, envelope.Room, position?.Seq,
                verdict == EnvelopeVerdict.Gap ? "gap marker" : $"got seq {envelope.Seq} of epoch {envelope.Epoch}");
            _ = Task.Run(() => ResumeRoomAsync(envelope.Room));
        }
    }
}
