using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;

namespace LiveAspire.ServiceDefaults.Telemetry;

/// <summary>
/// Drops the server spans of health probes: the AppHost and load balancers call <c>/health</c> and <c>/alive</c>
/// every few seconds per replica, which would otherwise drown real traffic in the trace store.
/// </summary>
/// <remarks>
/// Without the ASP.NET Core instrumentation package there is no request filter option, so this processor clears
/// the Recorded flag when the request span starts: the exporter skips unrecorded spans, and children created under
/// it inherit the decision through the parent-based sampler. The HttpContext is already in the accessor here
/// because hosting creates the context before it starts the activity.
/// </remarks>
internal sealed class HealthCheckTraceFilter(IHttpContextAccessor httpContextAccessor) : BaseProcessor<Activity>
{
    public override void OnStart(Activity activity)
    {
        if (activity.Source.Name == "Microsoft.AspNetCore"
            && httpContextAccessor.HttpContext?.Request.Path is { HasValue: true } path
            && IsHealthPath(path))
        {
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            activity.IsAllDataRequested = false;
        }
    }

    internal static bool IsHealthPath(PathString path)
        => path.StartsWithSegments(Extensions.HealthPath, StringComparison.OrdinalIgnoreCase)
           || path.StartsWithSegments(Extensions.AlivePath, StringComparison.OrdinalIgnoreCase);
}
