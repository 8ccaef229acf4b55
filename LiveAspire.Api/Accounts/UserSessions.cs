using LiveAspire.Data.Access;

namespace LiveAspire.Api.Accounts;

/// <summary>The one SQL shape every revoking change shares: change the row and bump its session version together.</summary>
internal static class UserSessions
{
    /// <summary>
    /// Runs <c>UPDATE users SET {set}, session_version = session_version + 1 WHERE id = $1</c> (and, when asked,
    /// deletes the user's refresh tokens) inside <paramref name="transaction"/>; returns the new state, or null when
    /// no such user. <paramref name="set"/> is code, never input: values go in <paramref name="parameters"/> ($2...).
    /// </summary>
    public static async Task<SessionState?> BumpAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId,
        string set, object[] parameters, bool deleteRefreshTokens, CancellationToken cancellationToken)
    {
        var assignments = set.Length == 0 ? "" : set + ", ";
        await using var update = new NpgsqlCommand(
            $"UPDATE users SET {assignments}session_version = session_version + 1 WHERE id = $1 RETURNING session_version, banned_at IS NOT NULL",
            connection, transaction);
        update.Parameters.Add(new NpgsqlParameter { Value = userId });
        foreach (var value in parameters)
        {
            update.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        SessionState? state = null;
        await using (var reader = await update.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                state = new SessionState(reader.GetInt32(0), reader.GetBoolean(1));
            }
        }
        if (state is not null && deleteRefreshTokens)
        {
            await using var delete = new NpgsqlCommand("DELETE FROM refresh_tokens WHERE user_id = $1", connection, transaction);
            delete.Parameters.Add(new NpgsqlParameter { Value = userId });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
        return state;
    }
}
