using LiveAspire.Api.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveAspire.Api.Accounts;

/// <summary>Registration, email verification and password reset. Inputs arrive validated by <see cref="AccountsApi"/>.</summary>
public sealed partial class AccountService(
    NpgsqlDataSource dataSource,
    IPasswordHasher<User> hasher,
    IEmailSender mail,
    SessionRevoker revoker,
    IOptions<AuthOptions> options,
    ILogger<AccountService> logger)
{
    /// <summary>Creates the account and mails a verification token; returns the new id or an error code.</summary>
    public async Task<(Guid UserId, string? Error)> RegisterAsync(string username, string usernameNormalized, string email, string password,
        CancellationToken cancellationToken)
    {
        // Hashing is the slow part (deliberately); do it before holding a connection and a transaction.
        var passwordHash = hasher.HashPassword(null!, password);
        var (token, tokenHash) = SecureTokens.Create();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Guid userId;
        try
        {
            await using var insert = Sql.Command(connection, transaction,
                "INSERT INTO users (username, username_normalized, email, password_hash) VALUES ($1, $2, $3, $4) RETURNING id",
                username, usernameNormalized, email, passwordHash);
            userId = (Guid)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return (Guid.Empty, ex.ConstraintName == "users_email_key" ? ApiErrorCodes.EmailTaken : ApiErrorCodes.UsernameTaken);
        }
        await InsertEmailTokenAsync(connection, transaction, userId, EmailToken.VerifyEmail, tokenHash,
            options.Value.EmailVerificationTokenLifetime, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        await SendAsync(email, "Confirm your LiveAspire email address", $"""
            Welcome to LiveAspire, {username}.

            Confirm this address by sending the token below to POST /api/auth/verify-email.
            It works once, within {options.Value.EmailVerificationTokenLifetime.TotalHours:0} hours.

            Token: {token}
            """, userId);
        return (userId, null);
    }

    /// <summary>Marks the address verified; false when the token is unknown, used or expired.</summary>
    public async Task<bool> VerifyEmailAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One statement: the token is spent and the address verified together, or neither.
        await using var verify = Sql.Command(connection, null, """
            WITH spent AS (
                UPDATE email_tokens SET used_at = now()
                WHERE token_hash = $1 AND purpose = 'verify_email' AND used_at IS NULL AND expires_at > now()
                RETURNING user_id)
            UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) FROM spent WHERE users.id = spent.user_id
            """, SecureTokens.Hash(token));
        return await verify.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Mails a reset token when an account has this address; does nothing visible otherwise.</summary>
    public async Task RequestPasswordResetAsync(string email, CancellationToken cancellationToken)
    {
        var (token, tokenHash) = SecureTokens.Create();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var find = Sql.Command(connection, null, "SELECT id FROM users WHERE email = $1", email);
        if (await find.ExecuteScalarAsync(cancellationToken) is not Guid userId)
        {
            return;
        }
        await InsertEmailTokenAsync(connection, null, userId, EmailToken.ResetPassword, tokenHash,
            options.Value.PasswordResetTokenLifetime, cancellationToken);
        await SendAsync(email, "Reset your LiveAspire password", $"""
            Someone asked to reset the password of this LiveAspire account. If it was not you, ignore this mail.

            Send the token below with your new password to POST /api/auth/password-reset/confirm.
            It works once, within {options.Value.PasswordResetTokenLifetime.TotalMinutes:0} minutes.

            Token: {token}
            """, userId);
    }

    /// <summary>Sets the new password and ends every session, like log-out-everywhere; false when the token is not usable.</summary>
    public async Task<bool> ConfirmPasswordResetAsync(string token, string newPassword, CancellationToken cancellationToken)
    {
        var passwordHash = hasher.HashPassword(null!, newPassword);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var spend = Sql.Command(connection, transaction, """
            UPDATE email_tokens SET used_at = now()
            WHERE token_hash = $1 AND purpose = 'reset_password' AND used_at IS NULL AND expires_at > now()
            RETURNING user_id
            """, SecureTokens.Hash(token));
        if (await spend.ExecuteScalarAsync(cancellationToken) is not Guid userId)
        {
            return false;
        }
        // Receiving the mail proves the address too.
        var state = await UserSessions.BumpAsync(connection, transaction, userId,
            "password_hash = $2, email_verified_at = coalesce(email_verified_at, now())", [passwordHash], deleteRefreshTokens: true, cancellationToken);
        if (state is null)
        {
            return false;
        }
        await transaction.CommitAsync(cancellationToken);
        await revoker.AfterCommitAsync(userId, state, RevocationReasons.PasswordReset);
        return true;
    }

    private static Task<int> InsertEmailTokenAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid userId, string purpose,
        byte[] tokenHash, TimeSpan lifetime, CancellationToken cancellationToken)
        => Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO email_tokens (user_id, purpose, token_hash, expires_at) VALUES ($1, $2, $3, $4)",
            cancellationToken, userId, purpose, tokenHash, DateTimeOffset.UtcNow + lifetime);

    private async Task SendAsync(string to, string subject, string body, Guid userId)
    {
        // After commit and not on the request's token: the account exists either way; a lost mail can be asked again.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await mail.SendAsync(to, subject, body, timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogMailFailed(logger, userId, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Error, Message = "Could not send mail to user {UserId} ({Error})")]
    private static partial void LogMailFailed(ILogger logger, Guid userId, string error);
}
