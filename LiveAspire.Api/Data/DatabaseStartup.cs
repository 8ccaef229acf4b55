using LiveAspire.Contracts.Telemetry;
using LiveAspire.Data.Schema;
using LiveAspire.Hosting;
using LiveAspire.ServiceDefaults.Telemetry;

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
        // The host starts the tracer when it runs, after this; started now, the migration's span (and its SQL) is
        // recorded, so a slow or failing start-up shows in the trace view like any request.
        app.Services.GetService<OpenTelemetry.Trace.TracerProvider>();
        using var activity = ApiTelemetry.Source.StartActivity(ApiTelemetry.MigrateSpan);
        try
        {
            var applied = await migrator.ApplyAsync(dataSource, app.Lifetime.ApplicationStopping);
            activity?.SetTag(TelemetryTags.MigrationsApplied, applied);
        }
        catch (NpgsqlException ex)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            throw new StartupException(
                $"Cannot migrate PostgreSQL at {target.Host}:{target.Port}/{target.Database} (ConnectionStrings:{LiveDbContext.ConnectionName}): {ex.Message}", ex);
        }
    }
}
