using LiveAspire.Infrastructure.Outbox;
using Microsoft.EntityFrameworkCore;

namespace LiveAspire.Api.Outbox;

/// <summary>
/// STAND-IN until the outbox branch (table <c>outbox</c>, <c>0003_outbox.sql</c>, the real <see cref="IOutboxWriter"/>)
/// merges: it writes nothing and logs that the event was not recorded. Registered with TryAdd, so a real writer
/// registered first wins; delete this file when merging.
/// </summary>
public sealed partial class PendingOutboxWriter(ILogger<PendingOutboxWriter> logger) : IOutboxWriter
{
    public void Add(DbContext context, string room, string type, object data, string? id = null) => LogNotRecorded(logger, type, room);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "No outbox in this build: event {EventType} for {Room} was not recorded")]
    private static partial void LogNotRecorded(ILogger logger, string eventType, string room);
}
