using Microsoft.AspNetCore.DataProtection.KeyManagement;
using LiveAspire.Postgres;
using Npgsql;

namespace LiveAspire.Web.DataProtection;

/// <summary>
/// Makes sure the shared key ring holds a usable key before this replica serves a request, creating it under a
/// PostgreSQL advisory lock. Without this, replicas that start together over an empty <c>web_data_protection_keys</c>
/// each generate a key of their own on first use and cache a ring without the other's: an antiforgery token or session
/// cookie one replica made is then unreadable on the other (a fresh system's first sign-in failed that way when its GET
/// and POST landed on different replicas). With the lock, the first replica creates the key and the others find it.
/// </summary>
public sealed partial class KeyRingBootstrap(IKeyManager keys, NpgsqlDataSource database, TimeProvider time, ILogger<KeyRingBootstrap> logger)
    : IHostedService
{
    /// <summary>A key this close to expiry is replaced now rather than by each replica on its own later.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    /// <summary>The lifetime ASP.NET Core gives a key by default.</summary>
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(90);

    /// <remarks>Tried once more on a fresh connection after a database failure: until it commits, nothing is kept.</remarks>
    public Task StartAsync(CancellationToken cancellationToken)
        => DatabaseFaults.OnceMoreOnFreshConnectionAsync(database, EnsureKeyAsync, onRetry: null, cancellationToken);

    private async Task EnsureKeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('liveaspire.web.data-protection-keys'))", connection, transaction))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        var now = time.GetUtcNow();
        // GetAllKeys reads the repository itself (no cached ring), so it sees a key another replica just stored.
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now + RenewBefore))
        {
            keys.CreateNewKey(now, now + KeyLifetime);
            LogCreated(logger);
        }
        await transaction.CommitAsync(cancellationToken); // releases the lock
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4301, Level = LogLevel.Information, Message = "Created the shared data-protection key (none usable in web_data_protection_keys)")]
    private static partial void LogCreated(ILogger logger);
}
