using LiveAspire.AppHost.Hosting;
using LiveAspire.AppHost.Orchestration;

namespace LiveAspire.AppHost.Dashboard;

public sealed record DashboardSnapshot(string Application, string? Dashboard, string StateDirectory, IReadOnlyList<ResourceView> Resources);

public sealed record ResourceView(string Name, string Kind, string State, string Health, string? Problem,
    IReadOnlyList<string> WaitFor, IReadOnlyList<EndpointView> Endpoints, IReadOnlyList<ReplicaView> Replicas, int? Pid, int Restarts);

public sealed record EndpointView(string Name, string Url, bool External, bool Proxied);

public sealed record ReplicaView(string Id, int? Pid, string State, string Health, string Url, int Restarts,
    DateTimeOffset? StartedAt, int? LastExitCode, string? Problem, string LogFile);

/// <summary>The dashboard's data, the same for the page and the JSON endpoint. Holds no secrets (no connection strings).</summary>
internal static class DashboardModel
{
    public static DashboardSnapshot Snapshot(DistributedApplication app)
    {
        var views = new List<ResourceView>();
        foreach (var resource in app.Resources.Where(r => r is not ParameterResource))
        {
            var runner = app.Orchestrator.Runners.FirstOrDefault(r => r.Resource == resource);
            var replicas = runner?.Replicas.Select(r => new ReplicaView(r.Id, r.Pid, r.State.ToString(), r.Health.ToString(),
                $"{Scheme(resource)}://127.0.0.1:{r.Port}", r.Restarts, r.StartedAt, r.LastExitCode,
                r.Health == HealthStatus.Healthy ? null : r.LastHealthError, app.Context.LogFile(r.Id))).ToList() ?? [];
            var state = runner is null || !runner.Started ? ResourceState.Waiting.ToString()
                : replicas.Count == 0 ? (runner.IsHealthy ? ResourceState.Running.ToString() : ResourceState.Starting.ToString())
                : replicas.FirstOrDefault(r => r.State != nameof(ResourceState.Running))?.State ?? ResourceState.Running.ToString();
            var health = runner is null || !runner.Started ? HealthStatus.Unknown
                : runner.IsHealthy ? HealthStatus.Healthy : HealthStatus.Unhealthy;
            var endpoints = resource.Endpoints.Where(e => e.IsAllocated)
                .Select(e => new EndpointView(e.Name, e.Url, e.IsExternal, e.ReplicaPorts.Count > 1)).ToList();
            views.Add(new ResourceView(resource.Name, resource.Kind, state, health.ToString(), runner?.Problem,
                [.. resource.WaitsFor.Select(w => w.Name)], endpoints, replicas,
                replicas.Count == 1 ? replicas[0].Pid : null, replicas.Sum(r => r.Restarts)));
        }
        return new DashboardSnapshot("LiveAspire", app.DashboardUrl?.ToString(), app.Options.StateDirectory!, views);
    }

    private static string Scheme(Resource resource) => resource is ProjectResource ? "http" : "tcp";
}
