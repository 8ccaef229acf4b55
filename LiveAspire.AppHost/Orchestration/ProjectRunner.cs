using System.Collections;
using LiveAspire.AppHost.Hosting;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>
/// A project's replicas, and for more than one replica the TCP proxy that is its single public endpoint.
/// Configuration reaches the process in Aspire's environment conventions, so the service would run unchanged
/// under a real Aspire AppHost.
/// </summary>
public sealed class ProjectRunner : ProcessResourceRunner
{
    // Variables a parent shell (or the test host) may carry that would override what the AppHost decides.
    private static readonly string[] ScrubbedPrefixes =
        ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "ConnectionStrings__", "services__", "OTEL_", "HTTP_PORTS", "HTTPS_PORTS", "Auth__"];

    private readonly TcpProxy? _proxy;

    public ProjectRunner(ProjectResource resource, RunContext context, Func<string, string> redact, HttpClient probeClient)
        : base(resource)
    {
        Resource = resource;
        Context = context;
        var endpoint = resource.GetEndpoint("http");
        for (var i = 0; i < resource.Replicas; i++)
        {
            Add(new ProjectReplica(this, i, endpoint.ReplicaPorts[i], context.CreateLog($"{resource.Name}-{i}", redact), probeClient));
        }
        if (resource.Replicas > 1)
        {
            _proxy = new TcpProxy(endpoint.RequirePort(),
                () => Replicas.Where(r => r.Health == HealthStatus.Healthy).Select(r => r.Port).ToList(),
                () => Replicas.Select(r => r.Port).ToList());
        }
    }

    public new ProjectResource Resource { get; }
    public RunContext Context { get; }

    public string ProjectDirectory => Path.GetDirectoryName(Path.Combine(Context.RepositoryRoot, Resource.Metadata.ProjectPath))!;

    public string AssemblyName => Path.GetFileNameWithoutExtension(Resource.Metadata.ProjectPath);

    public string OutputDirectory => Path.Combine(ProjectDirectory, "bin", Context.Options.Configuration, "net10.0");

    public string AssemblyPath => Path.Combine(OutputDirectory, AssemblyName + ".dll");

    /// <summary>The SDK's native launcher when present (a readable name in <c>ps</c>), else <c>dotnet app.dll</c>.</summary>
    public (string FileName, IReadOnlyList<string> Arguments) Executable()
    {
        var launcher = Path.Combine(OutputDirectory, AssemblyName);
        return File.Exists(launcher) ? (launcher, []) : (DotnetHost.Path, [AssemblyPath]);
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _proxy?.Start();
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync()
    {
        await base.StopAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    internal void OnReplicaPortChanged(ProjectReplica replica)
    {
        var endpoint = Resource.GetEndpoint("http");
        endpoint.ReplicaPorts[replica.Index] = replica.Port;
        if (Resource.Replicas == 1)
        {
            endpoint.Port = replica.Port;
        }
    }

    public Dictionary<string, string?> BuildEnvironment(ProjectReplica replica)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (ScrubbedPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                env[key] = null;
            }
        }

        env["ASPNETCORE_URLS"] = $"http://127.0.0.1:{replica.Port}";
        env["ASPNETCORE_ENVIRONMENT"] = Context.Options.EnvironmentName;
        env["DOTNET_ENVIRONMENT"] = Context.Options.EnvironmentName;
        // The AppHost owns the launch: a launchSettings.json profile must not change URLs or environment.
        env["DOTNET_LAUNCH_PROFILE"] = null;
        env["OTEL_SERVICE_NAME"] = Resource.Name;
        env["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={replica.Id}";
        if (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } otlp)
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        }
        foreach (var source in Resource.ConnectionStringReferences)
        {
            env[$"ConnectionStrings__{source.Name}"] = source.ConnectionStringExpression.GetValue();
        }
        foreach (var service in Resource.ServiceReferences)
        {
            foreach (var endpoint in service.Endpoints)
            {
                env[$"services__{service.Name}__{endpoint.Name}__0"] = endpoint.Url;
            }
        }
        foreach (var (key, value) in Resource.Environment)
        {
            env[key] = value.GetValue();
        }
        return env;
    }
}

internal static class DotnetHost
{
    /// <summary>The dotnet host running us (set by the SDK as DOTNET_HOST_PATH), else the one on PATH.</summary>
    public static string Path =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
