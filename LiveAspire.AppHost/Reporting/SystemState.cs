using System.Collections.Concurrent;
using System.Globalization;
using LiveAspire.AppHost.Stores;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveAspire.AppHost.Reporting;

/// <summary>
/// The latest snapshot of every resource instance (each replica is one), kept from the orchestrator's notifications,
/// and what follows from them: whether everything is healthy, and every address with its process ids. Used by the
/// endpoints report and by the tests' harness, which need each replica's own address and the service's own process.
/// </summary>
public sealed class SystemState(DistributedApplicationModel model)
{
    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new(StringComparer.Ordinal);

    /// <summary>Raised after each notification has been recorded.</summary>
    public event Action? Changed;

    /// <summary>Records notifications until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task WatchAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in notifications.WatchAsync(cancellationToken))
            {
                _latest[change.ResourceId] = change;
                Changed?.Invoke();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The resources a system is made of: projects and the local stores (not parameters).</summary>
    public IEnumerable<IResource> Parts
        => model.Resources.Where(r => r is ProjectResource or LocalRedisResource or LocalPostgresResource or LocalDatabaseResource);

    /// <summary>The instances of <paramref name="resource"/> (a project's replicas), ordered by id.</summary>
    public IReadOnlyList<ResourceEvent> InstancesOf(string resource)
        => [.. _latest.Values.Where(e => e.Resource.Name == resource).OrderBy(e => e.ResourceId, StringComparer.Ordinal)];

    /// <summary>Every part has as many instances as it should, and each of them is healthy in the orchestrator's
    /// eyes (for a replica that is not enough: see <see cref="AllServingAsync"/>).</summary>
    public bool AllHealthy() => Parts.All(p => IsHealthy(p.Name));

    /// <summary>
    /// <see cref="AllHealthy"/>, and every project replica's own process exists and its own <c>/health</c> answers.
    /// The orchestrator probes a replicated project through its proxy, which any one healthy replica answers, so it
    /// reports a replica healthy before that replica listens.
    /// </summary>
    public async Task<bool> AllServingAsync(CancellationToken cancellationToken = default)
    {
        if (!AllHealthy())
        {
            return false;
        }
        foreach (var project in Parts.OfType<ProjectResource>())
        {
            foreach (var instance in InstancesOf(project.Name))
            {
                if (!await IsServingAsync(ReplicaOf(instance), cancellationToken))
                {
                    return false;
                }
            }
        }
        return true;
    }

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The replica's own process exists and its own <c>/health</c> answers 2xx.</summary>
    public static async Task<bool> IsServingAsync(ReplicaAddresses replica, CancellationToken cancellationToken = default)
    {
        if (replica.Pid is null || replica.Url is not { } url)
        {
            return false;
        }
        try
        {
            using var response = await Probe.GetAsync(new Uri(new Uri(url.Replace("localhost", "127.0.0.1", StringComparison.Ordinal)), "/health"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public bool IsHealthy(string resource)
    {
        var part = model.Resources.Single(r => r.Name == resource);
        var instances = InstancesOf(resource);
        var expected = part.TryGetLastAnnotation<ReplicaAnnotation>(out var r) ? r.Replicas : 1;
        return instances.Count >= expected && instances.All(e => e.Snapshot.HealthStatus == HealthStatus.Healthy);
    }

    /// <summary>Every address (the database excepted: it has none of its own).</summary>
    public IReadOnlyList<ResourceAddresses> Addresses()
    {
        var resources = new List<ResourceAddresses>();
        foreach (var part in Parts.Where(r => r is not LocalDatabaseResource))
        {
            var instances = InstancesOf(part.Name);
            var endpoint = part.Annotations.OfType<EndpointAnnotation>().FirstOrDefault()?.AllocatedEndpoint;
            if (part is ProjectResource)
            {
                resources.Add(new ResourceAddresses(part.Name, endpoint?.UriString, null, [.. instances.Select(ReplicaOf)]));
            }
            else
            {
                var url = endpoint is null ? null : $"tcp://127.0.0.1:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
                resources.Add(new ResourceAddresses(part.Name, url, instances.Select(e => PidOf(e.Snapshot)).FirstOrDefault(), []));
            }
        }
        return resources;
    }

    /// <summary>A project replica's own address (its <c>ASPNETCORE_URLS</c>) and process ids.</summary>
    public static ReplicaAddresses ReplicaOf(ResourceEvent instance)
    {
        var launcher = PidOf(instance.Snapshot);
        var url = instance.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value?.Split(';')[0];
        return new ReplicaAddresses(instance.ResourceId, url, launcher is { } l ? ServiceProcess.OwnProcessOf(l) : null, launcher);
    }

    public static int? PidOf(CustomResourceSnapshot snapshot)
        => snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
           && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
}
