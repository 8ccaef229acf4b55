using LiveAspire.Contracts.Accounts;
using LiveAspire.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Npgsql;

namespace LiveAspire.Web.Sessions;

/// <summary>
/// The <c>web_sessions</c> rows (LiveAspire.Data/Schema/Migrations/0006_web.sql). Tokens are data-protected on the
/// way in and unprotected on the way out with Web's key ring (kept in the same database, shared by the replicas).
/// A refresh reads and rewrites a row only under its lock (<see cref="LockAsync"/>).
/// Every operation is safe to repeat and is tried once more on a fresh connection after a database failure
/// (<see cref="DatabaseFaults.OnceMoreOnFreshConnectionAsync{T}"/>): the pooled connections a PostgreSQL restart broke
/// cost no request. A database that is really down throws, and the request is answered 503 in words (docs/web.md).
/// </summary>
public sealed partial class SessionStore(NpgsqlDataSource database, IDataProtectionProvider protection, TimeProvider time, ILogger<SessionStore> logger)
{
    private const string Columns = "id_hash, user_id, username, role, device_id, refresh_token, access_token, access_expires_at, last_seen_at, expires_at";
    private readonly IDataProtector _tokens = protection.CreateProtector("LiveAspire.Web.Sessions.Tokens.v1");

    /// <summary>Stores a new session for a login's tokens; its expiry is the refresh token's. Removes expired rows on the way.</summary>
    public Task CreateAsync(byte[] idHash, string deviceId, TokenResponse tokens, CancellationToken cancellationToken)
        => RetryingAsync(ct => InsertAsync(idHash, deviceId, tokens, ct), cancellationToken);

    private async Task InsertAsync(byte[] idHash, string deviceId, TokenResponse tokens, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var cleanup = new NpgsqlCommand("DELETE FROM web_sessions WHERE expires_at < now()", connection))
        {
            // Cheap with the expires_at index, and sign-ins are rare next to page views: no separate sweeper needed.
            await cleanup.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO web_sessions (id_hash, user_id, username, role, device_id, refresh_token, access_token, access_expires_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (id_hash) DO NOTHING
            """, connection); // the id is 256 random bits: a conflict is this insert's own earlier try, committed
        insert.Parameters.Add(new() { Value = idHash });
        insert.Parameters.Add(new() { Value = tokens.User.Id });
        insert.Parameters.Add(new() { Value = tokens.User.Username });
        insert.Parameters.Add(new() { Value = tokens.User.Role });
        insert.Parameters.Add(new() { Value = deviceId });
        insert.Parameters.Add(new() { Value = _tokens.Protect(tokens.RefreshToken) });
        insert.Parameters.Add(new() { Value = _tokens.Protect(tokens.AccessToken) });
        insert.Parameters.Add(new() { Value = tokens.AccessTokenExpiresAt });
        insert.Parameters.Add(new() { Value = tokens.RefreshTokenExpiresAt });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The live session with this id hash, or null (none, or expired).</summary>
    public Task<WebSession?> FindAsync(byte[] idHash, CancellationToken cancellationToken)
        => RetryingAsync(async ct =>
        {
            await using var command = database.CreateCommand($"SELECT {Columns} FROM web_sessions WHERE id_hash = $1 AND expires_at > now()");
            command.Parameters.Add(new() { Value = idHash });
            return await ReadOneAsync(command, ct);
        }, cancellationToken);

    /// <summary>Records that the session was used (at most once per <paramref name="resolution"/>).</summary>
    public Task TouchAsync(WebSession session, TimeSpan resolution, CancellationToken cancellationToken)
        => time.GetUtcNow() - session.LastSeenAt < resolution
            ? Task.CompletedTask
            : ExecuteAsync("UPDATE web_sessions SET last_seen_at = now() WHERE id_hash = $1", session.IdHash, cancellationToken);

    public Task DeleteAsync(byte[] idHash, CancellationToken cancellationToken)
        => ExecuteAsync("DELETE FROM web_sessions WHERE id_hash = $1", idHash, cancellationToken);

    /// <summary>Ends every session of the user in this site (after Api's logout-all ended their refresh tokens).</summary>
    public Task DeleteAllOfUserAsync(Guid userId, CancellationToken cancellationToken)
        => ExecuteAsync("DELETE FROM web_sessions WHERE user_id = $1", userId, cancellationToken);

    private Task ExecuteAsync(string sql, object parameter, CancellationToken cancellationToken)
        => RetryingAsync(async ct =>
        {
            await using var command = database.CreateCommand(sql);
            command.Parameters.Add(new() { Value = parameter });
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    /// <summary>
    /// Opens a transaction and locks the session's row (<c>SELECT ... FOR UPDATE</c>): until the returned lock is
    /// committed or disposed, any other request on any replica that locks the same row waits, and then reads what
    /// this one wrote. <see cref="LockedSession.Session"/> is null when the row is gone (signed out meanwhile).
    /// </summary>
    /// <remarks>Taking the lock is retried on a fresh connection like the other operations; what runs under it is
    /// not (its connection has just answered, and a failed transaction commits nothing).</remarks>
    public Task<LockedSession> LockAsync(byte[] idHash, CancellationToken cancellationToken)
        => RetryingAsync(ct => TakeLockAsync(idHash, ct), cancellationToken);

    private async Task<LockedSession> TakeLockAsync(byte[] idHash, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT {Columns} FROM web_sessions WHERE id_hash = $1 AND expires_at > now() FOR UPDATE", connection, transaction);
            command.Parameters.Add(new() { Value = idHash });
            var session = await ReadOneAsync(command, cancellationToken);
            return new LockedSession(this, connection, transaction, session);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    internal async Task ReplaceTokensAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, byte[] idHash, TokenResponse tokens, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE web_sessions SET refresh_token = $2, access_token = $3, access_expires_at = $4, expires_at = $5,
                   username = $6, role = $7, last_seen_at = now()
            WHERE id_hash = $1
            """, connection, transaction);
        command.Parameters.Add(new() { Value = idHash });
        command.Parameters.Add(new() { Value = _tokens.Protect(tokens.RefreshToken) });
        command.Parameters.Add(new() { Value = _tokens.Protect(tokens.AccessToken) });
        command.Parameters.Add(new() { Value = tokens.AccessTokenExpiresAt });
        command.Parameters.Add(new() { Value = tokens.RefreshTokenExpiresAt });
        // A role change at Api shows in the next refresh: the header and profile follow it.
        command.Parameters.Add(new() { Value = tokens.User.Username });
        command.Parameters.Add(new() { Value = tokens.User.Role });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, byte[] idHash, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM web_sessions WHERE id_hash = $1", connection, transaction);
        command.Parameters.Add(new() { Value = idHash });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private Task<T> RetryingAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
        => DatabaseFaults.OnceMoreOnFreshConnectionAsync(database, work, ex => LogRetry(logger, ex.Message), cancellationToken);

    private Task RetryingAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
        => DatabaseFaults.OnceMoreOnFreshConnectionAsync(database, work, ex => LogRetry(logger, ex.Message), cancellationToken);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "A session query failed on an unavailable database ({Reason}); trying once more on a fresh connection")]
    private static partial void LogRetry(ILogger logger, string reason);

    private async Task<WebSession?> ReadOneAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        string refresh, access;
        try
        {
            refresh = _tokens.Unprotect(reader.GetString(5));
            access = _tokens.Unprotect(reader.GetString(6));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Protected with a key the ring no longer has (the keys table was emptied): the session cannot be used.
            return null;
        }
        return new WebSession(
            (byte[])reader[0], reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), refresh, access,
            reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8), reader.GetFieldValue<DateTimeOffset>(9));
    }
}

/// <summary>A session row locked for a refresh: read it, then replace its tokens or delete it, then commit.</summary>
public sealed class LockedSession(SessionStore store, NpgsqlConnection connection, NpgsqlTransaction transaction, WebSession? session) : IAsyncDisposable
{
    /// <summary>The row as it is now (after any refresh another request made while this one waited), or null.</summary>
    public WebSession? Session { get; } = session;

    public Task ReplaceTokensAsync(TokenResponse tokens, CancellationToken cancellationToken)
        => store.ReplaceTokensAsync(connection, transaction, Session!.IdHash, tokens, cancellationToken);

    public Task DeleteAsync(CancellationToken cancellationToken) => SessionStore.DeleteAsync(connection, transaction, Session!.IdHash, cancellationToken);

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    /// <summary>Rolls back what was not committed and releases the lock and the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
