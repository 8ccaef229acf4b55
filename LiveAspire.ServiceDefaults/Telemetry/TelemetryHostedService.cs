using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LiveAspire.ServiceDefaults.Telemetry;

/// <summary>
/// The SDK registers its providers as lazily created singletons: nothing resolves them, so without this no span or
/// metric would ever be listened to. They are resolved in the constructor, not in StartAsync: the host constructs
/// every hosted service before it starts the first one, while the web server may start before this service's
/// StartAsync runs, and requests served in that gap would go untraced. The container disposes the providers (and
/// flushes the exporters) at shutdown.
/// </summary>
internal sealed class TelemetryHostedService : IHostedService
{
    public TelemetryHostedService(IServiceProvider services)
    {
        services.GetService<TracerProvider>();
        services.GetService<MeterProvider>();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
