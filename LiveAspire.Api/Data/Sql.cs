namespace LiveAspire.Api.Data;

/// <summary>Small helpers for SQL: the raw-SQL paths (positional parameters $1, $2... in order) and <c>LIKE</c> patterns.</summary>
internal static class Sql
{
    /// <summary>The escape character of the patterns <see cref="LikeLiteral"/> and <see cref="LikePrefix"/> build.</summary>
    public const string LikeEscape = "\\";

    /// <summary>A <c>LIKE</c> pattern (with <see cref="LikeEscape"/>) matching <paramref name="text"/> taken literally:
    /// its <c>%</c> and <c>_</c> match themselves, not any run or any character.</summary>
    public static string LikeLiteral(string text)
        => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>A <c>LIKE</c> pattern matching what starts with <paramref name="text"/> taken literally (a username's
    /// <c>_</c> must not match any character).</summary>
    public static string LikePrefix(string text) => LikeLiteral(text) + "%";

    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params object[] values)
    {
        await using var command = Command(connection, transaction, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
