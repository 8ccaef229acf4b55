using LiveAspire.AppHost.Hosting;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>Runs one resource of the model: its processes (if any), its health, its clean stop.</summary>
public abstract class ResourceRunner(Resource resource)
{
    private readonly TaskCompletionSource _healthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Resource Resource { get; } = resource;

    public abstract IReadOnlyList<ProcessReplica> Replicas { get; }

    public abstract bool IsHealthy { get; }

    /// <summary>Why it is not healthy, in a few words (for errors and the dashboard).</summary>
    public abstract string? Problem { get; }

    /// <summary>Completes the first time the resource is healthy.</summary>
    public Task FirstHealthy => _healthy.Task;

    public bool Started { get; private set; }

    public virtual Task StartAsync(CancellationToken cancellationToken)
    {
        Started = true;
        return Task.CompletedTask;
    }

    public abstract Task StopAsync();

    /// <summary>Called whenever something changed; completes <see cref="FirstHealthy"/> once.</summary>
    protected void OnChanged()
    {
        if (IsHealthy)
        {
            _healthy.TrySetResult();
        }
        Changed?.Invoke(this);
    }

    public event Action<ResourceRunner>? Changed;
}

/// <summary>A resource made of supervised processes (Redis, PostgreSQL, a project's replicas).</summary>
public class ProcessResourceRunner(Resource resource) : ResourceRunner(resource)
{
    private readonly List<ProcessReplica> _replicas = [];

    public override IReadOnlyList<ProcessReplica> Replicas => _replicas;

    public override bool IsHealthy => _replicas.Count > 0 && _replicas.All(r => r.Health == HealthStatus.Healthy);

    public override string? Problem => _replicas
        .Where(r => r.Health != HealthStatus.Healthy)
        .Select(r => r.State == ResourceState.Failed ? $"{r.Id} failed" : r.LastHealthError is { } e ? $"{r.Id}: {e}" : null)
        .FirstOrDefault(p => p is not null);

    protected void Add(ProcessReplica replica)
    {
        replica.Changed += _ => OnChanged();
        _replicas.Add(replica);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var replica in _replicas)
        {
            replica.Start();
        }
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync()
    {
        await Task.WhenAll(_replicas.Select(r => r.StopAsync()));
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }
    }
}

public sealed class RedisRunner : ProcessResourceRunner
{
    public RedisRunner(RedisResource resource, RunContext context, Func<string, string> redact) : base(resource)
        => Add(new RedisReplica(resource, context, context.CreateLog(resource.Name, redact)));
}

public sealed class PostgresRunner : ProcessResourceRunner
{
    public PostgresRunner(PostgresServerResource resource, RunContext context, Func<string, string> redact) : base(resource)
    {
        Server = new PostgresReplica(resource, context, context.CreateLog(resource.Name, redact));
        Add(Server);
    }

    public PostgresReplica Server { get; }
}
