using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using LiveAspire.ServiceDefaults.ServiceDiscovery;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every LiveAspire service shares, in the shape of Aspire's ServiceDefaults project:
/// health endpoints, telemetry, service discovery, resilient HttpClients, redacting JSON logs.
/// </summary>
public static class Extensions
{
    /// <summary>Tag on health checks that say the process is alive (no dependency checks).</summary>
    public const string LiveTag = "live";

    /// <summary>Readiness endpoint: every registered check.</summary>
    public const string HealthPath = "/health";

    /// <summary>Liveness endpoint: only checks tagged <see cref="LiveTag"/>.</summary>
    public const string AlivePath = "/alive";

    /// <summary>
    /// Wires JSON console logging with redaction, OpenTelemetry, health checks, service discovery and resilience
    /// for every HttpClient. Authentication is separate (<c>AddLiveAspireAuthentication</c>): not every service needs it.
    /// </summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddJsonConsoleLogging();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Order is the handler order: resilience outside, discovery inside, so every retry resolves the
            // logical address again instead of reusing the first attempt's.
            http.AddLiveAspireResilience();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: every registered check, dependencies included) and <c>/alive</c>
    /// (only checks tagged <see cref="LiveTag"/>). Unlike the Aspire template these are mapped in every
    /// environment: the AppHost and production load balancers both probe them.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        return app;
    }
}
