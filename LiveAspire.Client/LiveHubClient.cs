using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveAspire.Client;

/// <summary>
/// A client of the live hub (<c>/hubs/live</c>) on SignalR's <c>HubConnection</c> (WebSockets only, no negotiation),
/// adding what SignalR does not do: it reconnects with backoff (also when the server asks to), resumes every joined
/// room from its last seq, drops duplicates (by envelope id) and stale events (by seq), resumes a room that fell
/// behind, and stops for good on <c>Revoked</c>, a 401 or a Close without <c>allowReconnect</c>. docs/protocol.md
/// describes the protocol.
/// <para><b>Threading.</b> All public members are safe to call from any thread. SignalR reads each connection on one
/// receive loop and runs the server's calls (<c>Events</c>, <c>Revoked</c>...) one at a time, in receive order, on one
/// dispatch loop per connection; answers to this client's invocations complete on the receive loop, so they can
/// overtake calls still queued (a resume answer may be applied before or after the replay that preceded it on the
/// wire, which the room rules allow for). A new connection is opened only once the previous one's calls have all
/// been handled, so envelopes are only ever applied by one loop at a time, in receive order. Room state is guarded
/// by one lock, never held across an await, since resumes and the public methods run on other threads. The events (<see cref="RoomReset"/>, <see cref="Revoked"/>...) are raised on the dispatch loop (or on the reconnect
/// loop for resume answers): handlers must return quickly and must not wait for an invocation's answer, since
/// everything the server sends after it waits behind them.</para>
/// <para><b>Load tools</b> that need only <c>seq</c> and <c>ts</c> should not use this client (it builds every
/// envelope, <c>data</c> included): bench/LiveAspire.Bench reads the frames itself.</para>
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
    private HubLink? _link;
    private LiveHubState _state = LiveHubState.Disconnected;
    private Task? _supervisor;
    private volatile string? _revokedReason;
    private volatile string? _reconnectReason;
    private volatile string? _quality;
    private int? _lastRttMs;

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

    /// <summary>The round-trip time the server last measured for this connection (its heartbeat), in ms.</summary>
    public int? LastRttMs => _lastRttMs;

    /// <summary>Connection quality as the server rated it: <c>good</c>, <c>fair</c> or <c>poor</c> (null until measured).</summary>
    public string? ConnectionQuality => _quality;

    /// <summary>A room could not be recovered (<c>recovered:false</c>): reload it, then keep reading <see cref="Events"/>.</summary>
    public event Action<RoomReset>? RoomReset;

    /// <summary>The server refused a room (code such as <c>room_forbidden</c>); the room is no longer tracked. Not raised
    /// for <c>redis_unavailable</c>: that room stays joined and is asked again after <see cref="LiveHubClientOptions.RoomRetryDelay"/>.</summary>
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
        HubLink link;
        try
        {
            link = await OpenAsync(cancellationToken).ConfigureAwait(false);
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
            _link = link;
            _state = LiveHubState.Connected;
        }
        Log.Connected(_logger, _options.HubUrl);
        _supervisor = Task.Run(() => SuperviseAsync(link));
    }

    /// <summary>Calls a hub method and waits (at most <see cref="LiveHubClientOptions.InvocationTimeout"/>) for its
    /// result. Throws <see cref="LiveHubInvocationException"/> with the server's message when the method failed,
    /// <see cref="LiveHubConnectionException"/> when not connected or the connection was lost, and
    /// <see cref="TimeoutException"/>.</summary>
    public async Task<T> InvokeAsync<T>(string method, object?[] arguments, CancellationToken cancellationToken)
        => await InvokeCoreAsync(method, typeof(T), arguments, cancellationToken).ConfigureAwait(false) is T result ? result : default!;

    /// <inheritdoc cref="InvokeAsync{T}(string, object?[], CancellationToken)"/>
    public Task<T> InvokeAsync<T>(string method, params object?[] arguments) => InvokeAsync<T>(method, arguments, CancellationToken.None);

    /// <summary>Calls a hub method that returns nothing and waits for its completion.</summary>
    public Task InvokeAsync(string method, object?[] arguments, CancellationToken cancellationToken)
        => InvokeCoreAsync(method, typeof(object), arguments, cancellationToken);

    private async Task<object?> InvokeCoreAsync(string method, Type resultType, object?[] arguments, CancellationToken cancellationToken)
    {
        var link = CurrentLink();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.InvocationTimeout);
        try
        {
            return await link.Connection.InvokeCoreAsync(method, resultType, arguments, timeout.Token).ConfigureAwait(false);
        }
        catch (HubException e) when (!link.ClosedWith(e))
        {
            throw new LiveHubInvocationException(e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No answer to {method} within {_options.InvocationTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (e is not (LiveHubInvocationException or LiveHubConnectionException))
        {
            // Pending invocations fail with whatever ended the connection (a socket error, a timeout, a cancellation).
            throw new LiveHubConnectionException("The connection closed before the server answered.", e);
        }
    }

    private HubLink CurrentLink()
    {
        lock (_gate)
        {
            return _link is { IsOpen: true } link
                ? link
                : throw new LiveHubConnectionException($"Not connected (state {_state}).");
        }
    }

    /// <summary>Closes the connection and stops reconnecting; <see cref="Events"/> completes.</summary>
    public async Task StopAsync()
    {
        _stopping.Cancel();
        if (_supervisor is { } supervisor)
        {
            await supervisor.ConfigureAwait(false);
        }
        Terminate(LiveHubState.Stopped, "stopped by the client");
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => new(StopAsync());

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
}
