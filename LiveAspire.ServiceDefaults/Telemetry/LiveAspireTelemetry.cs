namespace LiveAspire.ServiceDefaults.Telemetry;

/// <summary>
/// Names of the activity sources and meters every service subscribes to besides the instrumentation packages'.
/// Our own code names its <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>
/// <c>LiveAspire.{Service}</c> or <c>LiveAspire.{Service}.{Feature}</c>; the SDK's trailing-wildcard matching
/// picks them up without a registration list.
/// </summary>
public static class LiveAspireTelemetry
{
    /// <summary>Prefix of every LiveAspire activity source and meter name.</summary>
    public const string NamePrefix = "LiveAspire.";

    /// <summary>Activity sources traced besides ASP.NET Core's and HttpClient's instrumentation.</summary>
    public static IReadOnlyList<string> SourceNames { get; } =
    [
        // One span per hub method invocation (the connection's request span is ASP.NET Core's).
        "Microsoft.AspNetCore.SignalR.Server",
        NamePrefix + "*",
    ];

    /// <summary>Meters collected besides the ASP.NET Core, HttpClient and runtime instrumentation's.</summary>
    public static IReadOnlyList<string> MeterNames { get; } =
    [
        NamePrefix + "*",
    ];
}
