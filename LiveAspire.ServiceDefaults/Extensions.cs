using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every LiveAspire service shares, as in Aspire's ServiceDefaults template: OpenTelemetry, health
/// endpoints, service discovery and the standard resilience handler on every HttpClient; plus ours: redacting JSON
/// logs and a health report that names each check.
/// </summary>
public static class Extensions
{
    /// <summary>Tag on health checks that say the process is alive (no dependency checks).</summary>
    public const string LiveTag = "live";

    /// <summary>Readiness endpoint: every registered check.</summary>
    public const string HealthPath = "/health";

    /// <summary>Liveness endpoint: only checks tagged <see cref="LiveTag"/>.</summary>
    public const string AlivePath = "/alive";

    /// <summary>Configuration section bound to every HttpClient's <see cref="HttpStandardResilienceOptions"/>.</summary>
    public const string HttpResilienceSection = "Resilience:Http";

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
        var resilience = builder.Configuration.GetSection(HttpResilienceSection);
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Order is the handler order: resilience outside, discovery inside, so every retry resolves the
            // logical address again instead of reusing the first attempt's.
            http.AddStandardResilienceHandler(options =>
            {
                // Bound here rather than by the overload taking a section, which refuses a section that is absent.
                resilience.Bind(options);
                // A POST or PATCH that timed out may have taken effect; sending it again could apply it twice.
                // PUT and DELETE are idempotent by contract and keep their retries.
                options.Retry.DisableFor(HttpMethod.Post, HttpMethod.Patch);
            });
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

    /// <summary>True for the probe endpoints, whose requests are not traced.</summary>
    internal static bool IsHealthPath(PathString path)
        => path.StartsWithSegments(HealthPath, StringComparison.OrdinalIgnoreCase)
           || path.StartsWithSegments(AlivePath, StringComparison.OrdinalIgnoreCase);
}
