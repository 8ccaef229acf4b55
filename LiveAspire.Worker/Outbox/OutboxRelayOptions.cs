namespace LiveAspire.Worker.Outbox;

/// <summary>Relay settings, bound from configuration section <c>Outbox</c> (beside <c>Outbox:Partitions</c>, which writers read too).</summary>
public sealed class OutboxRelayOptions
{
    /// <summary>Rows read (and marked published in one UPDATE) per partition per round. Count.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Fallback poll when no notification arrives (NOTIFY is lost while the relay's connection is down). Milliseconds.</summary>
    public int PollIntervalMs { get; set; } = 1000;

    /// <summary>How often a relay tries to take the partition locks it does not hold: a standby's takeover delay. Milliseconds.</summary>
    public int LockRetryIntervalMs { get; set; } = 500;

    /// <summary>First wait after a failed publish (Redis down) or a lost database session; doubles up to <see cref="MaxRetryDelayMs"/>. Milliseconds.</summary>
    public int RetryDelayMs { get; set; } = 250;

    /// <summary>Longest wait between retries. Milliseconds.</summary>
    public int MaxRetryDelayMs { get; set; } = 5000;

    /// <summary>How often backlog and lag are measured for the gauges. Milliseconds.</summary>
    public int MetricsIntervalMs { get; set; } = 5000;
}
