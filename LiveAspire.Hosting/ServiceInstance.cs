using System.Diagnostics;

namespace LiveAspire.Hosting;

/// <summary>
/// Which replica this process is. Aspire (and our AppHost) passes it as <c>service.instance.id</c> in
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>; outside an orchestrator the machine name and process id stand in.
/// </summary>
public sealed class ServiceInstance
{
    /// <summary>The replica's id, e.g. <c>realtime-0</c>.</summary>
    public required string Id { get; init; }

    /// <summary>When this process started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Reads the identity from configuration (environment variables are part of it).</summary>
    public static ServiceInstance FromConfiguration(IConfiguration configuration)
    {
        var instance = ParseInstanceId(configuration["OTEL_RESOURCE_ATTRIBUTES"]);
        // Aspire gives each replica a bare suffix (its dashboard shows "{service.name}-{suffix}"); the id names the
        // service too, as the dashboard and the orchestrator do ("realtime-abcd1234").
        var id = instance is null ? $"{Environment.MachineName}-{Environment.ProcessId}"
            : configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } service && !instance.StartsWith(service + "-", StringComparison.Ordinal)
                ? $"{service}-{instance}" : instance;
        var startedAt = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime(), TimeSpan.Zero);
        return new ServiceInstance { Id = id, StartedAt = startedAt };
    }

    /// <summary>Finds <c>service.instance.id</c> in the OpenTelemetry <c>key=value,key=value</c> list (values are percent-encoded).</summary>
    public static string? ParseInstanceId(string? resourceAttributes)
    {
        foreach (var pair in (resourceAttributes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = pair.IndexOf('=');
            if (separator > 0 && pair[..separator].Trim() == "service.instance.id")
            {
                var value = Uri.UnescapeDataString(pair[(separator + 1)..].Trim());
                return value.Length > 0 ? value : null;
            }
        }
        return null;
    }
}

public static class ServiceInstanceExtensions
{
    /// <summary>Registers this process's <see cref="ServiceInstance"/> (read once: it cannot change while running).</summary>
    public static IServiceCollection AddServiceInstance(this IServiceCollection services, IConfiguration configuration)
        => services.AddSingleton(ServiceInstance.FromConfiguration(configuration));
}
