using LiveAspire.Infrastructure.Hosting;
using Npgsql;

namespace LiveAspire.Api.Data;

public static class DatabaseStartup
{
    /// <summary>
    /// Applies pending schema migrations before the app serves requests. Connection failures become a
    /// <see cref="StartupException"/> naming the setting (host, port and database; never the password).
    /// </summary>
    public static async Task ApplySchemaMigrationsAsync(this WebApplication app)
    {
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        var dataSource = app.Services.GetRequiredService<NpgsqlDataSource>();
        try
        {
            await migrator.ApplyAsync(dataSource, app.Lifetime.ApplicationStopping);
        }
        catch (NpgsqlException ex)
        {
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new StartupException(
                $"Cannot migrate PostgreSQL at {target.Host}:{target.Port}/{target.Database} (ConnectionStrings:{LiveDbContext.ConnectionName}): {ex.Message}", ex);
        }
    }
}
