using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LiveAspire.Api;

/// <summary>
/// Api's own <see cref="ActivitySource"/> and <see cref="Meter"/>, both <c>LiveAspire.Api</c> (ServiceDefaults
/// subscribes to <c>LiveAspire.*</c>). Requests, SQL, Redis and room publishes are traced by their own
/// instrumentation; these cover what they do not show. docs/telemetry.md lists them and a test fails when one disappears.
/// </summary>
public static class ApiTelemetry
{
    public const string Name = "LiveAspire.Api";

    /// <summary>Span: the schema migrations applied at start-up, before the first request is served.</summary>
    public const string MigrateSpan = "schema.migrate";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Logins by outcome: <c>succeeded</c> or the refusal's error code (<c>invalid_credentials</c>, <c>user_banned</c>).</summary>
    public static readonly Counter<long> Logins = Meter.CreateCounter<long>("liveaspire.api.logins",
        "{login}", "Login attempts by outcome (succeeded or the error code); a rise in invalid_credentials is someone guessing");

    /// <summary>Refresh-token exchanges by outcome: <c>succeeded</c> or the error code (<c>refresh_reused</c> ends a session).</summary>
    public static readonly Counter<long> Refreshes = Meter.CreateCounter<long>("liveaspire.api.token_refreshes",
        "{refresh}", "Refresh-token exchanges by outcome (succeeded or the error code)");

    /// <summary>Adds one to <paramref name="counter"/> tagged with the outcome, and returns the outcome.</summary>
    internal static T Count<T>(Counter<long> counter, T outcome, string? error)
    {
        counter.Add(1, new KeyValuePair<string, object?>("outcome", error ?? "succeeded"));
        return outcome;
    }
}
