using System.Text.Json;
using LiveAspire.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NpgsqlTypes;

namespace LiveAspire.Data.Outbox;

/// <summary>
/// Adds an event to the outbox as part of the caller's unit of work: the row commits in the same
/// <c>SaveChanges</c> (and transaction) as the business change, or not at all, so no change is announced that did
/// not happen and none happens unannounced. The Worker relays it at least once; its envelope id is <paramref name="id"/>
/// (default: a new time-ordered GUID, "N" format). The context's model must include the outbox
/// (<see cref="OutboxModelBuilderExtensions.AddOutbox"/>).
/// </summary>
public interface IOutboxWriter
{
    /// <summary>Adds the row to <paramref name="context"/> (nothing is written until its SaveChanges). <paramref name="data"/>
    /// is serialized camelCase. Throws <see cref="ArgumentException"/> for a bad room name, type, id or oversized data.</summary>
    void Add(DbContext context, string room, string type, object data, string? id = null);
}

/// <summary>The same, for code that writes with Npgsql directly: inserts the row inside <paramref name="transaction"/>.</summary>
public interface IOutboxSqlWriter
{
    /// <summary>Inserts the row within <paramref name="transaction"/>; returns the envelope id.</summary>
    Task<string> AddAsync(NpgsqlTransaction transaction, string room, string type, object data, string? id = null,
        CancellationToken cancellationToken = default);
}

public sealed class OutboxWriter(IOptions<OutboxOptions> outbox, IOptions<RoomOptions> rooms) : IOutboxWriter, IOutboxSqlWriter
{
    public void Add(DbContext context, string room, string type, object data, string? id = null) =>
        context.Set<OutboxMessage>().Add(Create(room, type, data, id));

    public async Task<string> AddAsync(NpgsqlTransaction transaction, string room, string type, object data, string? id = null,
        CancellationToken cancellationToken = default)
    {
        var message = Create(room, type, data, id);
        await using var command = new NpgsqlCommand(
            "INSERT INTO outbox (event_id, room, type, data, partition) VALUES ($1, $2, $3, $4, $5)",
            transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = message.EventId });
        command.Parameters.Add(new() { Value = message.Room });
        command.Parameters.Add(new() { Value = message.Type });
        command.Parameters.Add(new() { Value = message.Data, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = message.Partition });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return message.EventId;
    }

    // Validated here, at write time, with the publisher's own rules: a row the relay could never publish would
    // otherwise stop its whole partition (the relay never skips a row).
    private OutboxMessage Create(string room, string type, object data, string? id)
    {
        RoomEvents.CheckRoomAndType(room, type);
        id = RoomEvents.Id(id);
        ArgumentNullException.ThrowIfNull(data);
        var json = RoomEvents.CheckSize(JsonSerializer.Serialize(data, data.GetType(), JsonSerializerOptions.Web), rooms.Value.MaxDataBytes);
        return new OutboxMessage
        {
            EventId = id,
            Room = room,
            Type = type,
            Data = json,
            Partition = OutboxPartitioner.Partition(room, outbox.Value.Partitions),
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }
}
