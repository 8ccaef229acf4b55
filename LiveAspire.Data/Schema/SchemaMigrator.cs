using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveAspire.Data.Schema;

/// <summary>
/// Brings the database to the schema this build expects by applying the embedded SQL migrations in order.
/// Safe to run from several Api instances at once (a PostgreSQL advisory lock serialises them) and idempotent
/// (applied versions are recorded in <c>schema_migrations</c>). Refuses to continue if an applied script was edited.
/// </summary>
public sealed partial class SchemaMigrator
{
    // Any constant works as long as every Api build uses the same one ("LIVESCHM" in ASCII).
    private const long LockKey = 0x4C49_5645_5343_484D;

    // Waiting longer than this for the lock means another instance is stuck mid-migration: fail loudly instead.
    private const int LockWaitSeconds = 120;

    private readonly ILogger _logger;

    public SchemaMigrator(ILogger<SchemaMigrator>? logger = null) : this(MigrationCatalog.Load(), logger) { }

    /// <summary>Uses <paramref name="migrations"/> instead of the embedded scripts (tests: an edited or failing script).</summary>
    public SchemaMigrator(IReadOnlyList<MigrationScript> migrations, ILogger<SchemaMigrator>? logger = null)
    {
        Migrations = migrations;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The scripts this migrator applies, in version order.</summary>
    public IReadOnlyList<MigrationScript> Migrations { get; }

    /// <summary>Applies pending migrations through a temporary data source; returns how many were applied.</summary>
    public async Task<int> ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await ApplyAsync(dataSource, cancellationToken);
    }

    /// <summary>
    /// Applies pending migrations, each in its own transaction together with its <c>schema_migrations</c> row;
    /// returns how many were applied (0 when the schema was already current).
    /// </summary>
    public async Task<int> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A session lock (not a transaction lock) because it must cover reading the applied set and every
        // per-file transaction that follows; closing the connection releases it too if we crash.
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({LockKey})", LockWaitSeconds, cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, 30, cancellationToken);
            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var pending = FindPending(applied);
            foreach (var migration in pending)
            {
                await ApplyOneAsync(connection, migration, cancellationToken);
            }
            LogSchemaCurrent(_logger, Math.Max(applied.Keys.DefaultIfEmpty(0).Max(), Migrations.Count == 0 ? 0 : Migrations[^1].Version), pending.Count);
            return pending.Count;
        }
        finally
        {
            try
            {
                await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({LockKey})", 30, CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The connection is broken, which released the lock already; keep the original exception.
            }
        }
    }

    private List<MigrationScript> FindPending(Dictionary<int, (string Name, string Checksum)> applied)
    {
        foreach (var migration in Migrations)
        {
            if (applied.TryGetValue(migration.Version, out var row) && row.Checksum != migration.Checksum)
            {
                throw new SchemaMigrationException(
                    $"Migration {migration.Name} was changed after it was applied (checksum {Short(row.Checksum)} in the database, {Short(migration.Checksum)} in this build); add a new migration instead of editing an applied one.");
            }
        }
        var newestKnown = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
        foreach (var version in applied.Keys.Where(v => v > newestKnown))
        {
            // A newer build already migrated (rolling deploy or rollback): its additions must stay compatible with us.
            LogUnknownApplied(_logger, version, applied[version].Name);
        }
        var pending = Migrations.Where(m => !applied.ContainsKey(m.Version)).ToList();
        if (pending.Count > 0 && applied.Keys.Any(v => v > pending[0].Version))
        {
            throw new SchemaMigrationException(
                $"Migration {pending[0].Name} is pending but a later version is already applied; migrations were renumbered or inserted out of order.");
        }
        return pending;
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, MigrationScript migration, CancellationToken cancellationToken)
    {
        LogApplying(_logger, migration.Version, migration.Name);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // No timeout: a migration that rewrites a large table may legitimately take long.
            await using (var script = new NpgsqlCommand(migration.Sql, connection, transaction) { CommandTimeout = 0 })
            {
                await script.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", connection, transaction))
            {
                record.Parameters.Add(new() { Value = migration.Version });
                record.Parameters.Add(new() { Value = migration.Name });
                record.Parameters.Add(new() { Value = migration.Checksum });
                await record.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex)
        {
            throw new SchemaMigrationException($"Migration {migration.Name} failed and was rolled back: {ex.SqlState} {ex.MessageText}", ex);
        }
    }

    private static async Task<Dictionary<int, (string Name, string Checksum)>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, name, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applied = new Dictionary<int, (string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }
        return applied;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, int timeoutSeconds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] : checksum;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Applying schema migration {Version} ({MigrationName})")]
    private static partial void LogApplying(ILogger logger, int version, string migrationName);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Schema is at version {Version}; {AppliedCount} migrations applied now")]
    private static partial void LogSchemaCurrent(ILogger logger, int version, int appliedCount);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Database has migration {Version} ({MigrationName}) that this build does not know; continuing")]
    private static partial void LogUnknownApplied(ILogger logger, int version, string migrationName);
}
