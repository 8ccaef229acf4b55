using LiveAspire.Data.Access;

namespace LiveAspire.Api.Accounts;

/// <summary>Global ban, unban and role change. Each bumps the session version, so the cache converges (see SessionCacheScript).</summary>
public sealed class UserAdministration(NpgsqlDataSource dataSource, SessionRevoker revoker)
{
    /// <summary>Bans, deletes every refresh token and revokes; false when no such user.</summary>
    public Task<bool> BanAsync(Guid userId, string reason, CancellationToken cancellationToken)
        => ChangeAsync(userId, "banned_at = now(), ban_reason = $2", [reason], deleteRefreshTokens: true, RevocationReasons.Banned, cancellationToken);

    /// <summary>Lifts a ban. Nothing to revoke (a banned user holds no accepted token), but the cache must learn it.</summary>
    public Task<bool> UnbanAsync(Guid userId, CancellationToken cancellationToken)
        => ChangeAsync(userId, "banned_at = NULL, ban_reason = NULL", [], deleteRefreshTokens: false, reason: null, cancellationToken);

    /// <summary>Changes the global role and revokes tokens carrying the old one; refresh tokens stay, so the next refresh carries the new role.</summary>
    public Task<bool> ChangeRoleAsync(Guid userId, string role, CancellationToken cancellationToken)
        => ChangeAsync(userId, "global_role = $2", [role], deleteRefreshTokens: false, RevocationReasons.RoleChanged, cancellationToken);

    private async Task<bool> ChangeAsync(Guid userId, string set, object[] values, bool deleteRefreshTokens, string? reason,
        CancellationToken cancellationToken)
    {
        SessionState? state;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            state = await UserSessions.BumpAsync(connection, transaction, userId, set, values, deleteRefreshTokens, cancellationToken);
            if (state is null)
            {
                return false;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        await revoker.AfterCommitAsync(userId, state, reason);
        return true;
    }
}
