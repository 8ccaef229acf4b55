using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using LiveAspire.AppHost.Local;
using LiveAspire.AppHost.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LiveAspire.AppHost.Reporting;

/// <summary>
/// Once every store and every replica is healthy, prints the addresses (the dashboard's login address first) and
/// writes them, with each service's own process id, to <c>{state}/endpoints.json</c>; the file is rewritten whenever
/// a replica restarts, so it stays true while the system runs.
/// </summary>
public static class EndpointsReport
{
    public const string FileName = "endpoints.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static IDistributedApplicationBuilder AddEndpointsReport(this IDistributedApplicationBuilder builder, LocalEnvironment? local)
    {
        if (local is null)
        {
            return builder;
        }
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((@event, cancellationToken) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            var configuration = @event.Services.GetRequiredService<IConfiguration>();
            var stopping = @event.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
            _ = WatchAsync(@event.Model, notifications, configuration, local, stopping);
            return Task.CompletedTask;
        });
        return builder;
    }

    private static async Task WatchAsync(DistributedApplicationModel model, ResourceNotificationService notifications,
        IConfiguration configuration, LocalEnvironment local, CancellationToken stopping)
    {
        var latest = new ConcurrentDictionary<string, ResourceEvent>(StringComparer.Ordinal);
        var reported = false;
        string? written = null;
        try
        {
            await foreach (var change in notifications.WatchAsync(stopping))
            {
                latest[change.ResourceId] = change;
                if (!reported && !AllHealthy(model, latest.Values))
                {
                    continue;
                }
                var addresses = Collect(model, latest.Values, configuration, local);
                var json = JsonSerializer.Serialize(addresses, Json);
                if (json != written)
                {
                    await File.WriteAllTextAsync(Path.Combine(local.StateDirectory, FileName), json, stopping);
                    written = json;
                }
                if (!reported)
                {
                    Print(addresses);
                    reported = true;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private static IEnumerable<IResource> Watched(DistributedApplicationModel model)
        => model.Resources.Where(r => r is ProjectResource or LocalRedisResource or LocalPostgresResource or LocalDatabaseResource);

    private static bool AllHealthy(DistributedApplicationModel model, ICollection<ResourceEvent> events)
    {
        foreach (var resource in Watched(model))
        {
            var replicas = events.Where(e => e.Resource == resource).ToList();
            var expected = resource.TryGetLastAnnotation<ReplicaAnnotation>(out var r) ? r.Replicas : 1;
            if (replicas.Count < expected || replicas.Any(e => e.Snapshot.HealthStatus != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy))
            {
                return false;
            }
        }
        return true;
    }

    private static SystemAddresses Collect(DistributedApplicationModel model, ICollection<ResourceEvent> events, IConfiguration configuration, LocalEnvironment local)
    {
        var resources = new List<ResourceAddresses>();
        foreach (var resource in Watched(model).Where(r => r is not LocalDatabaseResource))
        {
            var instances = events.Where(e => e.Resource == resource).OrderBy(e => e.ResourceId, StringComparer.Ordinal).ToList();
            var endpoint = resource.Annotations.OfType<EndpointAnnotation>().FirstOrDefault()?.AllocatedEndpoint;
            if (resource is ProjectResource)
            {
                var replicas = instances.Select(e =>
                {
                    var launcher = PidOf(e.Snapshot);
                    var url = e.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value?.Split(';')[0];
                    return new ReplicaAddresses(e.ResourceId, url, launcher is { } l ? ServiceProcess.OwnProcessOf(l) : null, launcher);
                }).ToList();
                resources.Add(new ResourceAddresses(resource.Name, endpoint?.UriString, null, replicas));
            }
            else
            {
                var url = endpoint is null ? null : $"tcp://127.0.0.1:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
                resources.Add(new ResourceAddresses(resource.Name, url, instances.Select(e => PidOf(e.Snapshot)).FirstOrDefault(), []));
            }
        }
        return new SystemAddresses(DashboardAddress(configuration), local.StateDirectory, resources);
    }

    private static int? PidOf(CustomResourceSnapshot snapshot)
        => snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
           && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    /// <summary>The dashboard's address with its login token (the dashboard asks for it once per browser).</summary>
    private static string? DashboardAddress(IConfiguration configuration)
    {
        var url = configuration["ASPNETCORE_URLS"]?.Split(';')[0];
        return url is null ? null
            : configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{url.TrimEnd('/')}/login?t={token}" : url;
    }

    private static void Print(SystemAddresses addresses)
    {
        var lines = new List<string> { "LiveAspire is up:", $"  {"dashboard",-10} {addresses.Dashboard}" };
        foreach (var resource in addresses.Resources)
        {
            lines.Add($"  {resource.Name,-10} {resource.Url}");
            if (resource.Replicas.Count > 1)
            {
                lines.AddRange(resource.Replicas.Select(r => $"  {"",-10}   {r.Id}: {r.Url} (pid {r.Pid})"));
            }
        }
        lines.Add($"  {"addresses",-10} {Path.Combine(addresses.StateDirectory, FileName)}");
        lines.Add("Press Ctrl+C to stop.");
        Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
