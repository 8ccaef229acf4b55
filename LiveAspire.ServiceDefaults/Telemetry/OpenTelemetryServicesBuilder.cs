using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace LiveAspire.ServiceDefaults.Telemetry;

/// <summary>
/// The one piece of OpenTelemetry.Extensions.Hosting we need: an <see cref="IOpenTelemetryBuilder"/> over the
/// service collection, so the SDK's own <c>WithTracing</c>/<c>WithMetrics</c>/<c>WithLogging</c> and the exporter's
/// <c>UseOtlpExporter</c> extension methods can be used as they are (that package is missing from our feed).
/// </summary>
internal sealed class OpenTelemetryServicesBuilder(IServiceCollection services) : IOpenTelemetryBuilder
{
    public IServiceCollection Services { get; } = services;
}
