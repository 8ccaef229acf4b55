namespace LiveAspire.AppHost.Orchestration;

/// <summary>
/// One supervised process: started when its dependencies are healthy, health-probed, and restarted with backoff
/// when it exits (never because a health check failed: a Redis outage must not restart every replica).
/// </summary>
public abstract class ProcessReplica : IDisposable
{
    private static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stopping = new();
    private Task _supervisor = Task.CompletedTask;
    private Task _prober = Task.CompletedTask;
    private ManagedProcess? _process;
    private int _consecutiveFailures;
    private TaskCompletionSource? _restartHold;

    protected ProcessReplica(string id, LogBuffer log, int port)
    {
        Id = id;
        Log = log;
        Port = port;
    }

    public string Id { get; }
    public LogBuffer Log { get; }

    /// <summary>The port this process listens on. Changes only if the very first start found it taken.</summary>
    public int Port { get; protected set; }

    public ResourceState State { get; private set; } = ResourceState.Waiting;
    public HealthStatus Health { get; private set; } = HealthStatus.Unknown;
    public int? Pid => _process is { HasExited: false } p ? p.Pid : null;
    public int Restarts { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public int? LastExitCode { get; private set; }
    public string? LastHealthError { get; private set; }
    public bool EverHealthy { get; private set; }

    /// <summary>Raised on every state or health change (dashboard, console).</summary>
    public event Action<ProcessReplica>? Changed;

    protected abstract ProcessSpec CreateSpec();

    /// <summary>Returns null when healthy, else a short reason.</summary>
    protected abstract Task<string?> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Signal that stops this kind of process cleanly (SIGINT is PostgreSQL's fast shutdown).</summary>
    protected virtual int StopSignal => PosixSignals.SigTerm;

    protected virtual TimeSpan StopTimeout => TimeSpan.FromSeconds(15);

    /// <summary>Called when the first start failed because the port was taken; returns false to give up.</summary>
    protected virtual bool TryMoveToAnotherPort() => false;

    /// <summary>Moves a single-process resource's endpoint to a fresh port from the block, unless its port was
    /// fixed by configuration (then the operator's choice stands and the start fails).</summary>
    protected bool MoveEndpoint(Hosting.EndpointAnnotation endpoint, PortAllocator ports)
    {
        if (endpoint.RequestedPort is not null)
        {
            return false;
        }
        Port = ports.Allocate(endpoint.Owner.Name);
        endpoint.Port = Port;
        return true;
    }

    /// <summary>Work to do once, before the first start (initdb, writing a config file).</summary>
    protected virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Start()
    {
        _supervisor = SuperviseAsync(_stopping.Token);
        _prober = ProbeLoopAsync(_stopping.Token);
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PrepareAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.Append("apphost", $"preparation failed: {e.Message}");
            SetState(ResourceState.Failed);
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            SetState(Restarts == 0 ? ResourceState.Starting : ResourceState.Restarting);
            var logMark = Log.LastSeq;
            var startedAt = DateTimeOffset.UtcNow;
            try
            {
                var spec = CreateSpec();
                _process = ManagedProcess.Start(spec.FileName, spec.Arguments, spec.WorkingDirectory, spec.Environment, Log);
            }
            catch (Exception e)
            {
                Log.Append("apphost", $"could not start: {e.Message}");
                SetState(ResourceState.Failed);
                return;
            }
            StartedAt = startedAt;
            SetState(ResourceState.Running);
            if (cancellationToken.IsCancellationRequested)
            {
                // Stop was asked while this (re)start was under way: StopAsync may have looked at the previous
                // process, so this one is stopped here rather than left behind.
                await _process.StopAsync(StopSignal, StopTimeout);
                break;
            }

            var exitCode = await _process.Exited.WaitAsync(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            LastExitCode = exitCode;
            SetHealth(HealthStatus.Unhealthy, $"exited with code {exitCode}");
            Log.Append("apphost", $"{Id} exited with code {exitCode}; restarting");

            if (!EverHealthy && Log.Contains("address already in use", logMark) && !TryMoveToAnotherPort())
            {
                SetState(ResourceState.Failed);
                return;
            }

            _consecutiveFailures = DateTimeOffset.UtcNow - startedAt > StableAfter ? 1 : _consecutiveFailures + 1;
            var backoff = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, _consecutiveFailures - 1)));
            Restarts++;
            SetState(ResourceState.Restarting);
            try
            {
                await Task.Delay(backoff, cancellationToken);
                if (_restartHold is { } hold)
                {
                    await hold.Task.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ProbeLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (_process is { HasExited: false })
            {
                string? error;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(5));
                    error = await ProbeAsync(timeout.Token);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    error = e.Message;
                }
                catch (Exception) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopping: a probe cut short (PostgreSQL's or HTTP's own cancellation exception) is not an
                    // error, and must not make the stop itself fail.
                    return;
                }
                if (!cancellationToken.IsCancellationRequested)
                {
                    SetHealth(error is null ? HealthStatus.Healthy : HealthStatus.Unhealthy, error);
                }
            }
            try
            {
                // Probe often until healthy (start-up latency matters), then at a relaxed pace.
                await Task.Delay(Health == HealthStatus.Healthy ? 1000 : 200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task StopAsync()
    {
        SetState(ResourceState.Stopping);
        await _stopping.CancelAsync();
        if (_process is { } process)
        {
            await process.StopAsync(StopSignal, StopTimeout);
        }
        await Task.WhenAll(_supervisor, _prober);
        SetHealth(HealthStatus.Unknown, null);
        SetState(ResourceState.Stopped);
    }

    /// <summary>Kills the process as a crash would (tests use this through the dashboard model).</summary>
    public void Kill() => _process?.Kill();

    /// <summary>Sends a signal to the process (SIGTERM: a clean stop, which the supervisor treats as an exit).</summary>
    public void Signal(int signal)
    {
        if (_process is { HasExited: false } process)
        {
            PosixSignals.Send(process.Pid, signal);
        }
    }

    /// <summary>Keeps the process down after its next exit until <see cref="ReleaseRestarts"/>: an outage of a
    /// chosen length (tests stop Redis under live clients this way).</summary>
    public void HoldRestarts() => _restartHold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseRestarts() => Interlocked.Exchange(ref _restartHold, null)?.TrySetResult();

    private void SetState(ResourceState state)
    {
        if (State != state)
        {
            State = state;
            Changed?.Invoke(this);
        }
    }

    private void SetHealth(HealthStatus health, string? error)
    {
        LastHealthError = error;
        if (health == HealthStatus.Healthy)
        {
            EverHealthy = true;
        }
        if (Health != health)
        {
            Health = health;
            Changed?.Invoke(this);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        Log.Dispose();
    }
}
