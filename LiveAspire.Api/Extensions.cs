using LiveAspire.Api.Data;
using LiveAspire.Infrastructure.Postgres;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LiveAspire.Api;

public static class Extensions
{
    /// <summary>Registers the Api's services; throws <c>ConfigurationException</c> when <c>ConnectionStrings:livedb</c> is missing.</summary>
    public static TBuilder AddApiServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddNpgsqlDataSource(LiveDbContext.ConnectionName);
        // EF Core shares the data source (one pool per process) with the raw-SQL paths and the health check.
        builder.Services.AddDbContextPool<LiveDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton(services => new SchemaMigrator(services.GetRequiredService<ILogger<SchemaMigrator>>()));

        builder.Services.AddOpenApi();
        return builder;
    }
}
