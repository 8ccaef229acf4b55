using System.Diagnostics;

namespace LiveAspire.Worker;

/// <summary>
/// The Worker's own <see cref="ActivitySource"/> and meter name, both <c>LiveAspire.Worker</c> (ServiceDefaults
/// subscribes to <c>LiveAspire.*</c>); the instruments live with their job (<c>OutboxMetrics</c>). docs/telemetry.md
/// lists them and a test fails when one disappears.
/// </summary>
public static class WorkerTelemetry
{
    public const string Name = "LiveAspire.Worker";

    /// <summary>Span: one batch of one partition relayed (its rows published in order, then marked).</summary>
    public const string RelaySpan = "outbox.relay";

    public static readonly ActivitySource Source = new(Name);
}
