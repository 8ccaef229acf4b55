namespace LiveAspire.Data.Outbox;

/// <summary>
/// One event waiting to leave (table <c>outbox</c>, created by Api's <c>0003_outbox.sql</c>). Written by
/// <see cref="IOutboxWriter"/> in the business transaction; published and marked by the Worker's relay.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Identity: the relay order within a partition.</summary>
    public long Id { get; set; }

    /// <summary>The envelope id clients see and dedupe by; never changes however often the row is relayed.</summary>
    public required string EventId { get; set; }

    public required string Room { get; set; }
    public required string Type { get; set; }

    /// <summary>The event data as JSON text (column type jsonb).</summary>
    public required string Data { get; set; }

    /// <summary><see cref="OutboxPartitioner.Partition"/> of <see cref="Room"/>.</summary>
    public int Partition { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public int Attempts { get; set; }
}
