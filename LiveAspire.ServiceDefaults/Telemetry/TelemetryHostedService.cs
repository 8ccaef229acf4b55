using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LiveAspire.ServiceDefaults.Telemetry;

/// <summary>
/// The SDK registers its providers as lazily created singletons: nothing resolves them, so without this no span or
/// metric would ever be listened to. Resolving them at start is what the hosting package's TelemetryHostedService
/// does; the container disposes them (and flushes the exporters) at shutdown.
/// </summary>
internal sealed class TelemetryHostedService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetService<TracerProvider>();
        services.GetService<MeterProvider>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
