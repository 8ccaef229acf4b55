using LiveAspire.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class TelemetryExtensions
{
    /// <summary>Configuration key (and environment variable) holding the OTLP collector address.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Traces and metrics for ASP.NET Core, SignalR, Kestrel, HttpClient, Npgsql, the runtime and every
    /// <c>LiveAspire.*</c> source and meter; exported over OTLP, with logs, only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The service name comes from <c>OTEL_SERVICE_NAME</c>, which the
    /// SDK's resource detector reads from <see cref="Configuration.IConfiguration"/> (so environment and config both work).
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var otel = new OpenTelemetryServicesBuilder(builder.Services);
        builder.Services.AddHttpContextAccessor();

        otel.WithTracing(tracing => tracing
                .AddSource([.. LiveAspireTelemetry.SourceNames])
                .AddProcessor(sp => new HealthCheckTraceFilter(sp.GetRequiredService<AspNetCore.Http.IHttpContextAccessor>())))
            .WithMetrics(metrics => metrics.AddMeter([.. LiveAspireTelemetry.MeterNames]));

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            // Logs join the pipeline only with a collector: without one the OpenTelemetry logger would only cost.
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
            otel.WithLogging(logging => logging.AddProcessor(new RedactingLogProcessor()));
            otel.UseOtlpExporter();
        }

        // TryAddEnumerable: calling ConfigureOpenTelemetry twice must not start the providers twice.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TelemetryHostedService>());
        return builder;
    }
}
