using System.Text.Json;
using System.Threading.Channels;
using LiveAspire.Contracts.Realtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveAspire.Client;

/// <summary>
/// A client of the live hub (<c>/hubs/live</c>) over one WebSocket with the SignalR JSON hub protocol: reconnects
/// with backoff, resumes every joined room from its last seq, drops duplicates (by envelope id) and stale events
/// (by seq), and resumes a room that fell behind. docs/protocol.md describes the protocol it implements.
/// <para><b>Threading.</b> All public members are safe to call from any thread. One receive loop per connection
/// processes server messages in order: envelopes reach <see cref="Events"/> in that order, and the events
/// (<see cref="RoomReset"/>, <see cref="Revoked"/>...) are raised on that loop (or on the reconnect loop for
/// resume answers), so handlers must return quickly and must not wait for an invocation's answer (that answer
/// arrives on the same loop). Room state is guarded by one lock, never held across an await.</para>
/// <para><b>Fast path.</b> Envelopes are parsed with their <c>data</c> cloned into a <see cref="JsonElement"/>. A load
/// tool that needs only <c>seq</c> and <c>ts</c> can read <see cref="Events"/> and touch just those fields (the clone
/// is the only cost); to avoid even that, parse the <c>Events</c> record's bytes with a <c>Utf8JsonReader</c> in
/// <see cref="HubConnection"/> and skip the <c>data</c> value (<c>reader.Skip()</c>) instead of building envelopes.</para>
/// </summary>
public sealed partial class LiveHubClient : IAsyncDisposable
{
    private readonly LiveHubClientOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<EventEnvelope> _events = Channel.CreateUnbounded<EventEnvelope>(
        new UnboundedChannelOptions { SingleWriter = false, SingleReader = false });
    private readonly object _gate = new();
    private readonly RoomTracker _rooms;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<LiveHubState> _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HubConnection? _connection;
    private LiveHubState _state = LiveHubState.Disconnected;
    private Task? _supervisor;
    private volatile string? _revokedReason;
    private volatile string? _reconnectReason;

    /// <summary>Creates a client; nothing happens until <see cref="ConnectAsync"/>.</summary>
    public LiveHubClient(LiveHubClientOptions options, ILogger<LiveHubClient>? logger = null)
    {
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _rooms = new RoomTracker(options.DedupeCapacity);
    }

    /// <summary>Delivered envelopes, in receive order: per room, seqs are contiguous and each id appears once. The
    /// channel is unbounded (read it promptly) and completes when the client reaches a terminal state.</summary>
    public ChannelReader<EventEnvelope> Events => _events.Reader;

    /// <summary>Running totals (reconnects, duplicates dropped...).</summary>
    public LiveHubCounters Counters { get; } = new();

    /// <summary>Where the client is in its life.</summary>
    public LiveHubState State
    {
        get { lock (_gate) { return _state; } }
    }

    /// <summary>Completes with the terminal state (<see cref="LiveHubState.Stopped"/>, <see cref="LiveHubState.Revoked"/>,
    /// <see cref="LiveHubState.Unauthorized"/> or <see cref="LiveHubState.ClosedByServer"/>).</summary>
    public Task<LiveHubState> Terminated => _terminated.Task;

    /// <summary>The reason given with <c>Revoked</c>, once revoked.</summary>
    public string? RevokedReason => _revokedReason;

    /// <summary>A copy of every joined room's position (null: joined live-only and nothing received yet).</summary>
    public IReadOnlyDictionary<string, RoomPosition?> Positions
    {
        get { lock (_gate) { return _rooms.Snapshot(); } }
    }

    /// <summary>A room could not be recovered (<c>recovered:false</c>): reload it, then keep reading <see cref="Events"/>.</summary>
    public event Action<RoomReset>? RoomReset;

    /// <summary>The round-trip time the server last measured for this connection (its heartbeat), in ms.</summary>
    public int? LastRttMs => _lastRttMs;

    /// <summary>Connection quality as the server rated it: <c>good</c>, <c>fair</c> or <c>poor</c> (null until measured).</summary>
    public string? ConnectionQuality => _quality;

    private volatile string? _quality;
    private int? _lastRttMs;

    /// <summary>The server refused a room (code such as <c>room_forbidden</c>); the room is no longer tracked.</summary>
    public event Action<string, string>? RoomRefused;

    /// <summary>The server sent <c>Reconnect(reason)</c>; the client is reconnecting already.</summary>
    public event Action<string>? ReconnectRequested;

    /// <summary>The server sent <c>Revoked(reason)</c>; the client will not reconnect.</summary>
    public event Action<string>? Revoked;

    /// <summary>The server sent <c>Error(code, message, retryAfterMs)</c>.</summary>
    public event Action<LiveHubError>? ErrorReceived;

    /// <summary>Raised after a reconnect, once the joined rooms were resumed (with the server's answers).</summary>
    public event Action<IReadOnlyDictionary<string, ResumeResult>>? Reconnected;

    /// <summary>Opens the first connection. Throws <see cref="LiveHubUnauthorizedException"/> on a 401 and
    /// <see cref="LiveHubConnectionException"/> otherwise; after success, lost connections are reconnected on their own.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_state != LiveHubState.Disconnected)
            {
                throw new InvalidOperationException($"ConnectAsync needs a disconnected client; this one is {_state}.");
            }
            _state = LiveHubState.Connecting;
        }
        HubConnection connection;
        try
        {
            connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LiveHubUnauthorizedException)
        {
            Terminate(LiveHubState.Unauthorized, "401 on the upgrade");
            throw;
        }
        catch
        {
            lock (_gate)
            {
                _state = LiveHubState.Disconnected;
            }
            throw;
        }
        lock (_gate)
        {
            _connection = connection;
            _state = LiveHubState.Connected;
        }
        Log.Connected(_logger, _options.HubUrl);
        _supervisor = Task.Run(() => SuperviseAsync(connection));
    }

    /// <summary>Calls a hub method and waits (at most <see cref="LiveHubClientOptions.InvocationTimeout"/>) for its
    /// result. Throws <see cref="LiveHubInvocationException"/> with the server's message when the method failed,
    /// <see cref="LiveHubConnectionException"/> when not connected or the connection was lost, and
    /// <see cref="TimeoutException"/>.</summary>
    public async Task<T> InvokeAsync<T>(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        var result = await CurrentConnection().InvokeAsync(method, arguments, cancellationToken).ConfigureAwait(false);
        return result is { } json ? json.Deserialize<T>(HubProtocol.Json)! : default!;
    }

    /// <inheritdoc cref="InvokeAsync{T}(string, object?[], CancellationToken)"/>
    public Task<T> InvokeAsync<T>(string method, params object?[] arguments) => InvokeAsync<T>(method, arguments, CancellationToken.None);

    /// <summary>Calls a hub method that returns nothing and waits for its completion.</summary>
    public Task InvokeAsync(string method, object?[] arguments, CancellationToken cancellationToken)
        => CurrentConnection().InvokeAsync(method, arguments, cancellationToken);

    private HubConnection CurrentConnection()
    {
        lock (_gate)
        {
            return _connection is { IsOpen: true } connection
                ? connection
                : throw new LiveHubConnectionException($"Not connected (state {_state}).");
        }
    }

    /// <summary>Joins (or rejoins) rooms through <c>Resume</c>, each from its tracked position (live only for a room
    /// never seen). Joined rooms are resumed after every reconnect.</summary>
    public Task<IReadOnlyDictionary<string, ResumeResult>> JoinAsync(IEnumerable<string> rooms, CancellationToken cancellationToken = default)
    {
        Dictionary<string, RoomPosition?> request;
        lock (_gate)
        {
            request = _rooms.Join(rooms.Select(r => KeyValuePair.Create(r, (RoomPosition?)null)), explicitPositions: false);
        }
        return ResumeAsync(request, cancellationToken);
    }

    /// <summary>Joins rooms from given positions (e.g. kept from an earlier session): <c>Resume</c> with exactly these.</summary>
    public Task<IReadOnlyDictionary<string, ResumeResult>> JoinAsync(IReadOnlyDictionary<string, RoomPosition?> positions,
        CancellationToken cancellationToken = default)
    {
        Dictionary<string, RoomPosition?> request;
        lock (_gate)
        {
            request = _rooms.Join(positions, explicitPositions: true);
        }
        return ResumeAsync(request, cancellationToken);
    }

    /// <summary>Joins a stream's room (<c>stream:{streamId}</c>) through <c>JoinStream</c>, from its tracked position.</summary>
    public async Task<ResumeResult> JoinStreamAsync(string streamId, CancellationToken cancellationToken = default)
    {
        var room = StreamRoom(streamId);
        RoomPosition? position;
        lock (_gate)
        {
            position = _rooms.Join([KeyValuePair.Create(room, (RoomPosition?)null)], explicitPositions: false)[room];
        }
        ResumeResult result;
        try
        {
            result = await InvokeAsync<ResumeResult>(LiveHubContract.JoinStream,
                [streamId, position?.Seq, position?.Epoch], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _rooms.ResumeFailed([room]);
            }
            throw;
        }
        ApplyResults(new Dictionary<string, ResumeResult> { [room] = result });
        return result;
    }

    /// <summary>The room name of a stream, as the hub builds it (DESIGN.md section 4).</summary>
    public static string StreamRoom(string streamId) => "stream:" + streamId;

    /// <summary>Leaves a room: the server stops sending it and it is not resumed after reconnects.</summary>
    public async Task LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _rooms.Leave(room);
        }
        await InvokeAsync(LiveHubContract.Leave, [room], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Calls the hub's <c>Ping()</c>: which replica answers, and its clock.</summary>
    public Task<PingReply> PingAsync(CancellationToken cancellationToken = default)
        => InvokeAsync<PingReply>(LiveHubContract.Ping, [], cancellationToken);

    private async Task<IReadOnlyDictionary<string, ResumeResult>> ResumeAsync(Dictionary<string, RoomPosition?> request,
        CancellationToken cancellationToken)
    {
        Dictionary<string, ResumeResult> results;
        try
        {
            results = await InvokeAsync<Dictionary<string, ResumeResult>>(LiveHubContract.Resume, [request], cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _rooms.ResumeFailed(request.Keys);
            }
            throw;
        }
        ApplyResults(results);
        lock (_gate)
        {
            // A room the server did not answer for stays joined; the next gap or reconnect asks again.
            _rooms.ResumeFailed(request.Keys.Where(r => !results.ContainsKey(r)));
        }
        return results;
    }

    private void ApplyResults(IReadOnlyDictionary<string, ResumeResult> results)
    {
        var resets = new List<RoomReset>();
        lock (_gate)
        {
            foreach (var (room, result) in results)
            {
                if (_rooms.Apply(room, result) is { } reset)
                {
                    resets.Add(reset);
                }
            }
        }
        foreach (var (room, result) in results)
        {
            if (result.Error is { } code)
            {
                Log.RoomRefused(_logger, room, code);
                Raise(RoomRefused, h => h(room, code), nameof(RoomRefused));
            }
        }
        foreach (var reset in resets)
        {
            Counters.Increment(ref Counters.RoomResetsField);
            Log.RoomReset(_logger, reset.Room, reset.Epoch, reset.Seq);
            Raise(RoomReset, h => h(reset), nameof(RoomReset));
        }
    }

    private void Raise<THandler>(THandler? handlers, Action<THandler> invoke, string name) where THandler : Delegate
    {
        if (handlers is null)
        {
            return;
        }
        foreach (var handler in handlers.GetInvocationList().Cast<THandler>())
        {
            try
            {
                invoke(handler);
            }
            catch (Exception e)
            {
                Log.HandlerFailed(_logger, name, e);
            }
        }
    }

    /// <summary>Closes the connection and stops reconnecting; <see cref="Events"/> completes.</summary>
    public async Task StopAsync()
    {
        _stopping.Cancel();
        HubConnection? connection;
        lock (_gate)
        {
            connection = _connection;
        }
        if (connection is not null)
        {
            await connection.CloseAsync("stopped by the client").ConfigureAwait(false);
        }
        if (_supervisor is { } supervisor)
        {
            await supervisor.ConfigureAwait(false);
        }
        Terminate(LiveHubState.Stopped, "stopped by the client");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        HubConnection? connection;
        lock (_gate)
        {
            connection = _connection;
            _connection = null;
        }
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void Terminate(LiveHubState state, string reason)
    {
        lock (_gate)
        {
            if (_terminated.Task.IsCompleted)
            {
                return;
            }
            _state = state;
        }
        if (state != LiveHubState.Stopped)
        {
            Log.Terminal(_logger, state, reason);
        }
        _events.Writer.TryComplete();
        _terminated.TrySetResult(state);
    }
}
