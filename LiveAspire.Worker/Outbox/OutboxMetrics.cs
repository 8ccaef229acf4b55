using System.Diagnostics.Metrics;

namespace LiveAspire.Worker.Outbox;

/// <summary>
/// The outbox relay's instruments on the Worker's meter (<see cref="WorkerTelemetry.Name"/>). The gauges report only the partitions this process holds (tag
/// <c>partition</c>), so summing over every Worker counts each row once; a standby reports nothing.
/// </summary>
public sealed class OutboxMetrics
{
    private readonly Counter<long> _published;
    private volatile IReadOnlyDictionary<int, (long Backlog, double LagSeconds)> _sample = new Dictionary<int, (long, double)>();

    public OutboxMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(WorkerTelemetry.Name);
        _published = meter.CreateCounter<long>("liveaspire.outbox.published", "{event}",
            "Outbox rows published into their room (a row relayed again after a crash counts again).");
        meter.CreateObservableGauge("liveaspire.outbox.backlog",
            () => _sample.Select(p => new Measurement<long>(p.Value.Backlog, new KeyValuePair<string, object?>("partition", p.Key))),
            "{row}", "Unpublished outbox rows in the partitions this relay holds.");
        meter.CreateObservableGauge("liveaspire.outbox.lag",
            () => _sample.Select(p => new Measurement<double>(p.Value.LagSeconds, new KeyValuePair<string, object?>("partition", p.Key))),
            "s", "Age of the oldest unpublished outbox row in the partitions this relay holds (0 when none).");
    }

    public void Published(int partition) => _published.Add(1, new KeyValuePair<string, object?>("partition", partition));

    /// <summary>Replaces the gauges' values: one entry per held partition.</summary>
    public void Sample(IReadOnlyDictionary<int, (long Backlog, double LagSeconds)> sample) => _sample = sample;
}
