using LiveAspire.Data.Schema;
using LiveAspire.Api.Data;
using LiveAspire.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LiveAspire.Api;

public static class Extensions
{
    /// <summary>Registers the Api's services; throws <c>ConfigurationException</c> when <c>ConnectionStrings:livedb</c> is missing.</summary>
    public static TBuilder AddApiServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddLiveAspireNpgsqlDataSource(LiveDbContext.ConnectionName);
        // EF Core shares the data source with the raw-SQL paths and the health check: one connection pool per
        // process, so the pool size in the connection string is the process's whole budget of PostgreSQL
        // connections (AddNpgsqlDbContext would build a second pool from the same string). Hence
        // AddDbContextPool plus Aspire's Enrich, which adds EF's traces and metrics to this registration.
        builder.Services.AddDbContextPool<LiveDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        builder.EnrichNpgsqlDbContext<LiveDbContext>(settings =>
        {
            // Explicit transactions (streams, overlay keys) cannot run under a retrying execution strategy, and a
            // business write with an outbox row must not be replayed behind the caller's back.
            settings.DisableRetry = true;
            // The data source's PostgreSql check already probes this pool; a second check would query it again.
            settings.DisableHealthChecks = true;
        });
        builder.Services.AddSingleton(services => new SchemaMigrator(services.GetRequiredService<ILogger<SchemaMigrator>>()));

        builder.Services.AddOpenApi();
        return builder;
    }
}
