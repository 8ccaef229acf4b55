using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveAspire.Api.Accounts;

/// <summary>Creates the first admin account on a platform that has none (docs/architecture.md section 4: from a generated secret).</summary>
public static partial class InitialAdmin
{
    public const string Username = "admin";
    public const string Email = "admin@liveaspire.local";

    // Serialises concurrent Api instances starting together ("LIVEADMN" in ASCII).
    private const long LockKey = 0x4C49_5645_4144_4D4E;

    /// <summary>Idempotent: does nothing once any admin exists. Without <c>Auth:InitialAdminPassword</c> it only warns.</summary>
    public static async Task EnsureInitialAdminAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InitialAdmin).FullName!);
        var password = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.InitialAdminPassword;
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        var cancellationToken = app.Lifetime.ApplicationStopping;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Sql.ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);
        await using (var exists = Sql.Command(connection, transaction, "SELECT EXISTS (SELECT 1 FROM users WHERE global_role = 'admin')"))
        {
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }
        if (string.IsNullOrEmpty(password))
        {
            LogNoPassword(logger);
            return;
        }
        var hash = app.Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(null!, password);
        // ON CONFLICT: a non-admin may already be called "admin"; then an operator must promote someone by hand.
        await using var insert = Sql.Command(connection, transaction, """
            INSERT INTO users (username, username_normalized, email, password_hash, email_verified_at, global_role)
            VALUES ($1, $1, $2, $3, now(), $4)
            ON CONFLICT DO NOTHING
            """, Username, Email, hash, GlobalRoles.Admin);
        var created = await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        await transaction.CommitAsync(cancellationToken);
        if (created)
        {
            LogCreated(logger, Username);
        }
        else
        {
            LogNameTaken(logger, Username);
        }
    }

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Created the initial admin account {AdminUsername}")]
    private static partial void LogCreated(ILogger logger, string adminUsername);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Warning, Message = "No admin account exists and Auth:InitialAdminPassword is not set; none was created")]
    private static partial void LogNoPassword(ILogger logger);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "No admin account exists, but the username {AdminUsername} or its email is taken by a normal account; none was created")]
    private static partial void LogNameTaken(ILogger logger, string adminUsername);
}
