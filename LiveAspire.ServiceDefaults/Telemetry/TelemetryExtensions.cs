using LiveAspire.ServiceDefaults.Telemetry;
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
    /// As in Aspire's template: traces and metrics of ASP.NET Core (SignalR and Kestrel included), HttpClient and the
    /// runtime, plus every <c>LiveAspire.*</c> source and meter; the store integrations (Aspire.Npgsql,
    /// Aspire.StackExchange.Redis) add their own. Exported over OTLP, with logs, only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The service name comes from <c>OTEL_SERVICE_NAME</c>, which the SDK
    /// reads from configuration (so environment and config both work).
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var otel = builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                    // The AppHost and load balancers probe every replica every few seconds; those spans would
                    // drown real traffic in the trace store.
                    options.Filter = context => !Extensions.IsHealthPath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource([.. LiveAspireTelemetry.SourceNames]))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter([.. LiveAspireTelemetry.MeterNames]));

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
        return builder;
    }
}
