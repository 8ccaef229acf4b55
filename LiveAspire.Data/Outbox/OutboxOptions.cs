namespace LiveAspire.Data.Outbox;

/// <summary>Outbox settings, bound from configuration section <c>Outbox</c>; every writer and relay must agree.</summary>
public sealed class OutboxOptions
{
    /// <summary>
    /// Number of relay partitions (each with its own advisory lock). Writers store the partition in each row, so
    /// every process that writes or relays must use the same value; change it only with an empty backlog. Count.
    /// </summary>
    public int Partitions { get; set; } = 8;
}
