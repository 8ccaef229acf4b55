namespace LiveAspire.ServiceDefaults.Telemetry;

/// <summary>
/// Names of the activity sources and meters every service subscribes to. Our own code names its
/// <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>
/// <c>LiveAspire.{Service}.{Feature}</c>; the SDK's trailing-wildcard matching (supported by
/// <c>AddSource</c>/<c>AddMeter</c> since 1.x, still in 1.20.1) picks them up without a registration list.
/// </summary>
public static class LiveAspireTelemetry
{
    /// <summary>Prefix of every LiveAspire activity source and meter name.</summary>
    public const string NamePrefix = "LiveAspire.";

    /// <summary>Activity sources traced by default.</summary>
    public static IReadOnlyList<string> SourceNames { get; } =
    [
        "Microsoft.AspNetCore",
        "Microsoft.AspNetCore.SignalR.Server",
        "System.Net.Http",
        "Npgsql",
        NamePrefix + "*",
    ];

    /// <summary>Meters collected by default.</summary>
    public static IReadOnlyList<string> MeterNames { get; } =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "System.Net.Http",
        "System.Runtime",
        "Npgsql",
        NamePrefix + "*",
    ];
}
