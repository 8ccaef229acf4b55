using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveAspire.Api.Accounts;

/// <summary>Tokens for a device, or the error code that explains why none were issued.</summary>
public sealed record SessionOutcome(TokenResponse? Tokens, string? Error)
{
    public static SessionOutcome Fail(string code) => new(null, code);
}

/// <summary>
/// Login, refresh-token rotation with reuse detection, and logout (docs/architecture.md section 4). One refresh token per
/// (user, device), stored hashed; rotated tokens are remembered in <c>retired_refresh_tokens</c> until they would
/// have expired, so a replayed one is recognised and ends that device's session.
/// </summary>
public sealed partial class SessionService(
    NpgsqlDataSource dataSource,
    AccessTokenIssuer issuer,
    IPasswordHasher<User> hasher,
    SessionRevoker revoker,
    IOptions<AuthOptions> options,
    ILogger<SessionService> logger)
{
    // Verified against when the login names nobody, so an unknown user costs the same hashing time as a wrong password.
    private static readonly Lazy<string> s_dummyHash = new(() => new PasswordHasher<User>().HashPassword(null!, "not-a-real-password"));

    private TimeSpan RefreshLifetime => options.Value.RefreshTokenLifetime;

    public async Task<SessionOutcome> LoginAsync(string login, string password, string deviceId, CancellationToken cancellationToken)
    {
        var outcome = await LoginCoreAsync(login, password, deviceId, cancellationToken);
        return ApiTelemetry.Count(ApiTelemetry.Logins, outcome, outcome.Error);
    }

    public async Task<SessionOutcome> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var outcome = await RefreshCoreAsync(refreshToken, cancellationToken);
        return ApiTelemetry.Count(ApiTelemetry.Refreshes, outcome, outcome.Error);
    }

    private async Task<SessionOutcome> LoginCoreAsync(string login, string password, string deviceId, CancellationToken cancellationToken)
    {
        var byEmail = login.Contains('@');
        var key = byEmail ? AccountRules.NormalizeEmail(login) : AccountRules.NormalizeUsername(login);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        LoginRow? row = null;
        if (key is not null)
        {
            await using var find = new NpgsqlCommand(
                $"SELECT id, username, password_hash, global_role, session_version, banned_at IS NOT NULL FROM users WHERE {(byEmail ? "email" : "username_normalized")} = $1",
                connection);
            find.Parameters.Add(new NpgsqlParameter { Value = key });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                row = new LoginRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.GetBoolean(5));
            }
        }
        if (row is null)
        {
            hasher.VerifyHashedPassword(null!, s_dummyHash.Value, password);
            return SessionOutcome.Fail(ApiErrorCodes.InvalidCredentials);
        }
        var verification = hasher.VerifyHashedPassword(null!, row.PasswordHash, password);
        if (verification == PasswordVerificationResult.Failed)
        {
            return SessionOutcome.Fail(ApiErrorCodes.InvalidCredentials);
        }
        // Only after the password: a ban is not disclosed to someone who does not know it.
        if (row.Banned)
        {
            return SessionOutcome.Fail(ApiErrorCodes.UserBanned);
        }
        if (verification == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await using var rehash = new NpgsqlCommand("UPDATE users SET password_hash = $2 WHERE id = $1", connection);
            rehash.Parameters.Add(new NpgsqlParameter { Value = row.Id });
            rehash.Parameters.Add(new NpgsqlParameter { Value = hasher.HashPassword(null!, password) });
            await rehash.ExecuteNonQueryAsync(cancellationToken);
        }

        var (refreshToken, refreshHash) = SecureTokens.Create();
        var refreshExpires = DateTimeOffset.UtcNow + RefreshLifetime;
        // A second login on the same device replaces that device's token (the old one simply stops working).
        await using (var upsert = new NpgsqlCommand("""
            INSERT INTO refresh_tokens (user_id, device_id, token_hash, expires_at) VALUES ($1, $2, $3, $4)
            ON CONFLICT (user_id, device_id) DO UPDATE
            SET token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at, created_at = now(), last_used_at = NULL
            """, connection))
        {
            upsert.Parameters.Add(new NpgsqlParameter { Value = row.Id });
            upsert.Parameters.Add(new NpgsqlParameter { Value = deviceId });
            upsert.Parameters.Add(new NpgsqlParameter { Value = refreshHash });
            upsert.Parameters.Add(new NpgsqlParameter { Value = refreshExpires });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
        return new SessionOutcome(Tokens(row.Id, row.Username, row.Role, row.SessionVersion, refreshToken, refreshExpires), null);
    }

    private async Task<SessionOutcome> RefreshCoreAsync(string refreshToken, CancellationToken cancellationToken)
    {
        if (!SecureTokens.LooksValid(refreshToken))
        {
            return SessionOutcome.Fail(ApiErrorCodes.RefreshInvalid);
        }
        var presented = SecureTokens.Hash(refreshToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // FOR UPDATE: two refreshes racing with one token serialise here; the loser finds the token retired (reuse).
        await using var find = new NpgsqlCommand("""
            SELECT rt.id, rt.user_id, rt.device_id, rt.expires_at, u.username, u.global_role, u.session_version, u.banned_at IS NOT NULL
            FROM refresh_tokens rt JOIN users u ON u.id = rt.user_id
            WHERE rt.token_hash = $1
            FOR UPDATE OF rt
            """, connection, transaction);
        find.Parameters.Add(new NpgsqlParameter { Value = presented });
        RefreshRow? row = null;
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                row = new RefreshRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.GetString(4), reader.GetString(5), reader.GetInt32(6), reader.GetBoolean(7));
            }
        }
        if (row is null)
        {
            return await HandleUnknownRefreshAsync(connection, transaction, presented, cancellationToken);
        }
        if (row.Banned)
        {
            return SessionOutcome.Fail(ApiErrorCodes.UserBanned);
        }
        if (row.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            await Sql.ExecuteAsync(connection, transaction, "DELETE FROM refresh_tokens WHERE id = $1", cancellationToken, row.Id);
            await transaction.CommitAsync(cancellationToken);
            return SessionOutcome.Fail(ApiErrorCodes.RefreshInvalid);
        }

        var (next, nextHash) = SecureTokens.Create();
        var nextExpires = DateTimeOffset.UtcNow + RefreshLifetime;
        await Sql.ExecuteAsync(connection, transaction,
            "UPDATE refresh_tokens SET token_hash = $2, expires_at = $3, last_used_at = now() WHERE id = $1",
            cancellationToken, row.Id, nextHash, nextExpires);
        await Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO retired_refresh_tokens (token_hash, user_id, device_id, expires_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            cancellationToken, presented, row.UserId, row.DeviceId, row.ExpiresAt);
        await transaction.CommitAsync(cancellationToken);
        return new SessionOutcome(Tokens(row.UserId, row.Username, row.Role, row.SessionVersion, next, nextExpires), null);
    }

    private async Task<SessionOutcome> HandleUnknownRefreshAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        byte[] presented, CancellationToken cancellationToken)
    {
        await using var retired = new NpgsqlCommand(
            "SELECT user_id, device_id FROM retired_refresh_tokens WHERE token_hash = $1 AND expires_at > now()", connection, transaction);
        retired.Parameters.Add(new NpgsqlParameter { Value = presented });
        (Guid UserId, string DeviceId)? owner = null;
        await using (var reader = await retired.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                owner = (reader.GetGuid(0), reader.GetString(1));
            }
        }
        if (owner is not { } reuse)
        {
            return SessionOutcome.Fail(ApiErrorCodes.RefreshInvalid);
        }
        // Someone holds a copy of a token that was already used: the legitimate client and the copy cannot be told
        // apart, so the device's session ends for both.
        await Sql.ExecuteAsync(connection, transaction, "DELETE FROM refresh_tokens WHERE user_id = $1 AND device_id = $2",
            cancellationToken, reuse.UserId, reuse.DeviceId);
        await transaction.CommitAsync(cancellationToken);
        LogReuse(logger, reuse.UserId, reuse.DeviceId);
        return SessionOutcome.Fail(ApiErrorCodes.RefreshReused);
    }

    /// <summary>Ends one device's refresh token; access tokens already issued run out by themselves.</summary>
    public async Task LogoutAsync(Guid userId, string deviceId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Sql.ExecuteAsync(connection, null, "DELETE FROM refresh_tokens WHERE user_id = $1 AND device_id = $2", cancellationToken, userId, deviceId);
    }

    /// <summary>Bumps the session version, deletes every refresh token, then revokes; false when the user is gone.</summary>
    public async Task<bool> LogoutAllAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await UserSessions.BumpAsync(connection, transaction, userId, "", [], deleteRefreshTokens: true, cancellationToken);
        if (state is null)
        {
            return false;
        }
        await transaction.CommitAsync(cancellationToken);
        await revoker.AfterCommitAsync(userId, state, RevocationReasons.LogoutAll);
        return true;
    }

    private TokenResponse Tokens(Guid userId, string username, string role, int sessionVersion, string refreshToken, DateTimeOffset refreshExpires)
    {
        var access = issuer.Issue(userId, username, role, sessionVersion);
        return new TokenResponse(access.Token, access.ExpiresAt, refreshToken, refreshExpires, new UserSummary(userId, username, role));
    }

    private sealed record LoginRow(Guid Id, string Username, string PasswordHash, string Role, int SessionVersion, bool Banned);

    private sealed record RefreshRow(Guid Id, Guid UserId, string DeviceId, DateTimeOffset ExpiresAt, string Username, string Role, int SessionVersion, bool Banned);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Refresh token reuse for user {UserId} on device {DeviceId}; that device's session was ended")]
    private static partial void LogReuse(ILogger logger, Guid userId, string deviceId);
}
