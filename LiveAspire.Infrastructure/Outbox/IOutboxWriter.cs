using Microsoft.EntityFrameworkCore;

namespace LiveAspire.Infrastructure.Outbox;

/// <summary>
/// Adds an event to the <c>outbox</c> table as part of the caller's current EF Core unit of work (its open
/// transaction, or the next <c>SaveChanges</c>): the event leaves if and only if the change commits. The Worker's
/// relay publishes rows later through <c>IRoomPublisher</c>, in order per room, at least once, each keeping its id.
/// </summary>
public interface IOutboxWriter
{
    void Add(DbContext context, string room, string type, object data, string? id = null);
}
