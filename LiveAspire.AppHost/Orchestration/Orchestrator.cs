using LiveAspire.AppHost.Hosting;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>
/// Runs the model: assigns ports, starts each resource once everything it waits for is healthy, fails start-up
/// with a one-line error when something never gets there, and stops everything in a safe order.
/// </summary>
public sealed class Orchestrator : IAsyncDisposable
{
    private readonly IReadOnlyList<Resource> _resources;
    private readonly RunContext _context;
    private readonly Func<string, string> _redact;
    private readonly HttpClient _probeClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<Resource, ResourceRunner> _runners = [];
    private readonly List<Task> _starters = [];
    private bool _stopped;

    public Orchestrator(IReadOnlyList<Resource> resources, RunContext context, Func<string, string> redact)
    {
        _resources = resources;
        _context = context;
        _redact = redact;
    }

    public IReadOnlyList<ResourceRunner> Runners => [.. _resources.Where(_runners.ContainsKey).Select(r => _runners[r])];

    public ResourceRunner GetRunner(string name) => _runners.Values.FirstOrDefault(r => r.Resource.Name == name)
        ?? throw new KeyNotFoundException($"No resource named '{name}' is running.");

    public event Action<ResourceRunner>? Changed;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        AllocatePorts();
        CheckBinaries();
        await new ProjectBuilder(_context).EnsureBuiltAsync(_resources.OfType<ProjectResource>(), cancellationToken);
        CreateRunners();

        var timeout = TimeSpan.FromSeconds(_context.Options.HealthTimeoutSeconds);
        foreach (var runner in Runners)
        {
            _starters.Add(StartWhenReadyAsync(runner, timeout, _stopping.Token));
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        // Fail fast: the first resource that cannot start ends start-up, instead of waiting on its dependents.
        var pending = new List<Task>(_starters);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).WaitAsync(linked.Token);
            await done;
            pending.Remove(done);
        }
    }

    private async Task StartWhenReadyAsync(ResourceRunner runner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var dependency in runner.Resource.WaitsFor)
        {
            await _runners[dependency].FirstHealthy.WaitAsync(cancellationToken);
        }
        await runner.StartAsync(cancellationToken);
        try
        {
            await runner.FirstHealthy.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            var replica = runner.Replicas.FirstOrDefault(r => r.Health != HealthStatus.Healthy);
            // The last thing the process itself said (not our own "exited, restarting" notes) usually names the cause.
            var lastLine = replica?.Log.GetAfter(0, 50).LastOrDefault(l => l.Stream != "apphost")?.Text;
            var where = replica is null ? "" : $"; log: {_context.LogFile(replica.Id)}";
            throw new DistributedApplicationException(
                $"{runner.Resource.Name} did not become healthy within {timeout.TotalSeconds:0} s ({runner.Problem ?? "no answer"})" +
                (lastLine is null ? "" : $"; last output: {lastLine}") + where);
        }
    }

    private void AllocatePorts()
    {
        foreach (var resource in _resources)
        {
            foreach (var endpoint in resource.Endpoints)
            {
                if (endpoint.RequestedPort is { } fixedPort)
                {
                    _context.Ports.Reserve(fixedPort, $"{resource.Name}.{endpoint.Name}", $"the {resource.Name} port");
                    endpoint.Port = fixedPort;
                }
                else
                {
                    endpoint.Port = _context.Ports.Allocate($"{resource.Name}.{endpoint.Name}");
                }
                endpoint.ReplicaPorts.Clear();
                var replicas = resource is ProjectResource p ? p.Replicas : 1;
                for (var i = 0; i < replicas; i++)
                {
                    // A single replica listens on the public port itself; several sit behind the proxy there.
                    endpoint.ReplicaPorts.Add(replicas == 1 ? endpoint.Port.Value : _context.Ports.Allocate($"{resource.Name}-{i}"));
                }
            }
        }
    }

    private void CheckBinaries()
    {
        if (_resources.OfType<RedisResource>().Any() && !File.Exists(_context.Options.RedisServerPath))
        {
            throw new DistributedApplicationException(
                $"redis-server not found at {_context.Options.RedisServerPath}; install it (apt-get install -y redis-server) or set AppHost:RedisServerPath");
        }
        if (_resources.OfType<PostgresServerResource>().Any())
        {
            foreach (var tool in new[] { "initdb", "postgres" })
            {
                var path = Path.Combine(_context.Options.PostgresBinDirectory, tool);
                if (!File.Exists(path))
                {
                    throw new DistributedApplicationException(
                        $"PostgreSQL's {tool} not found at {path}; install PostgreSQL 15 or set AppHost:PostgresBinDirectory to the folder holding initdb and postgres");
                }
            }
        }
    }

    private void CreateRunners()
    {
        foreach (var resource in _resources)
        {
            ResourceRunner? runner = resource switch
            {
                RedisResource redis => new RedisRunner(redis, _context, _redact),
                PostgresServerResource postgres => new PostgresRunner(postgres, _context, _redact),
                PostgresDatabaseResource database => new DatabaseRunner(database, (PostgresRunner)_runners[database.Parent]),
                ProjectResource project => new ProjectRunner(project, _context, _redact, _probeClient),
                _ => null, // Parameters have no process.
            };
            if (runner is not null)
            {
                runner.Changed += r => Changed?.Invoke(r);
                _runners[resource] = runner;
            }
        }
    }

    /// <summary>Stops projects first (they may flush to the stores), then PostgreSQL (fast shutdown), then Redis.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await _stopping.CancelAsync();
        var runners = Runners;
        await Task.WhenAll(runners.Where(r => r.Resource is ProjectResource).Select(r => r.StopAsync()));
        await Task.WhenAll(runners.Where(r => r.Resource is PostgresDatabaseResource).Select(r => r.StopAsync()));
        await Task.WhenAll(runners.Where(r => r.Resource is PostgresServerResource).Select(r => r.StopAsync()));
        await Task.WhenAll(runners.Where(r => r.Resource is RedisResource).Select(r => r.StopAsync()));
        await Task.WhenAll(_starters.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _probeClient.Dispose();
        _stopping.Dispose();
    }
}
