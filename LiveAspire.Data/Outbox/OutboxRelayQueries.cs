using NpgsqlTypes;

namespace LiveAspire.Data.Outbox;

/// <summary>An outbox row as the relay reads it.</summary>
public sealed record OutboxRow(long Id, string EventId, string Room, string Type, string Data);

/// <summary>
/// The relay's SQL. Every statement runs on the session that holds the partition locks: if that session is lost,
/// the locks are gone with it and so is the relay's ability to read or mark rows, so a relayer that lost its lock
/// cannot go on publishing next to the one that took over.
/// </summary>
public static class OutboxRelayQueries
{
    /// <summary>First key of the two-key advisory locks ("OBX1"); the second key is the partition number.</summary>
    public const int LockClass = 0x4F42_5831;

    /// <summary>Tries every partition's lock; returns the partitions this session holds afterwards (re-locking a held
    /// one only raises its count, and the locks are released together when the session ends).</summary>
    public static async Task<SortedSet<int>> TryLockAsync(NpgsqlConnection connection, int partitions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT p FROM generate_series(0, $1 - 1) AS p WHERE pg_try_advisory_lock($2, p)", connection);
        command.Parameters.Add(new() { Value = partitions });
        command.Parameters.Add(new() { Value = LockClass });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var held = new SortedSet<int>();
        while (await reader.ReadAsync(cancellationToken))
        {
            held.Add(reader.GetInt32(0));
        }
        return held;
    }

    /// <summary>The oldest unpublished rows of a partition, in id order; counts the attempt in the same statement.</summary>
    public static async Task<List<OutboxRow>> ReadBatchAsync(NpgsqlConnection connection, int partition, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE outbox SET attempts = attempts + 1
            WHERE id IN (SELECT id FROM outbox WHERE partition = $1 AND published_at IS NULL ORDER BY id LIMIT $2)
            RETURNING id, event_id, room, type, data::text
            """, connection);
        command.Parameters.Add(new() { Value = partition });
        command.Parameters.Add(new() { Value = batchSize });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4)));
        }
        rows.Sort((a, b) => a.Id.CompareTo(b.Id)); // RETURNING has no order
        return rows;
    }

    public static async Task MarkPublishedAsync(NpgsqlConnection connection, IReadOnlyList<OutboxRow> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE outbox SET published_at = now() WHERE id = ANY($1)", connection);
        command.Parameters.Add(new() { Value = rows.Select(r => r.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Backlog and lag (seconds) of each given partition; partitions without unpublished rows report (0, 0).</summary>
    public static async Task<Dictionary<int, (long, double)>> MeasureAsync(NpgsqlConnection connection, IReadOnlyCollection<int> partitions, CancellationToken cancellationToken)
    {
        var result = partitions.ToDictionary(p => p, _ => (0L, 0d));
        if (partitions.Count == 0)
        {
            return result;
        }
        await using var command = new NpgsqlCommand("""
            SELECT partition, count(*), extract(epoch FROM now() - min(created_at))::float8
            FROM outbox WHERE published_at IS NULL AND partition = ANY($1) GROUP BY partition
            """, connection);
        command.Parameters.Add(new() { Value = partitions.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetInt32(0)] = (reader.GetInt64(1), Math.Max(0, reader.GetDouble(2)));
        }
        return result;
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
