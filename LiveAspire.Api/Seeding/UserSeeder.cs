using Microsoft.AspNetCore.Identity;
using NpgsqlTypes;

namespace LiveAspire.Api.Seeding;

/// <summary>A seeded user and an access token minted for it with the real signing key.</summary>
public sealed record SeededUser(Guid UserId, string Username, string AccessToken);

/// <summary>
/// Creates many users fast for development, tests and benchmarks: one binary COPY, one password hash computed once
/// and shared (hashing is deliberately slow: ~0.1 s each would dominate). Usernames are <c>{prefix}{n}</c>, emails
/// <c>{username}@seed.liveaspire.local</c> (verified), role <c>user</c>, password <see cref="DefaultPassword"/>.
/// </summary>
public static class UserSeeder
{
    /// <summary>Password of every seeded user (seeding refuses to run in Production).</summary>
    public const string DefaultPassword = "seeded-user-password";

    public const string EmailDomain = "seed.liveaspire.local";

    public static async Task<IReadOnlyList<SeededUser>> SeedAsync(NpgsqlDataSource dataSource, AccessTokenIssuer issuer, int count, string prefix,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var digits = Math.Max(1, (count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        if (AccountRules.NormalizeUsername(prefix + new string('0', digits)) is null || prefix != prefix.ToLowerInvariant())
        {
            throw new ArgumentException($"prefix must be lower-case letters, digits or _, short enough for {count} users (usernames are at most 32 characters).", nameof(prefix));
        }
        var hash = new PasswordHasher<User>().HashPassword(null!, DefaultPassword);
        var now = DateTimeOffset.UtcNow;
        var users = new List<(Guid Id, string Username)>(count);
        for (var i = 0; i < count; i++)
        {
            users.Add((Guid.CreateVersion7(), prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(digits, '0')));
        }

        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY users (id, username, username_normalized, email, password_hash, email_verified_at, global_role) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var (id, username) in users)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(username, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(username, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync($"{username}@{EmailDomain}", NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(hash, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
                await writer.WriteAsync(GlobalRoles.User, NpgsqlDbType.Text, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }

        // New rows start at session version 1 (the column default).
        return users.Select(u => new SeededUser(u.Id, u.Username, issuer.Issue(u.Id, u.Username, GlobalRoles.User, 1).Token)).ToList();
    }
}
