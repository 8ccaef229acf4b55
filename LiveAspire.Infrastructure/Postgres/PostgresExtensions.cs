using LiveAspire.Infrastructure.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LiveAspire.Infrastructure.Postgres;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers one <see cref="NpgsqlDataSource"/> (one connection pool per process) for
    /// <c>ConnectionStrings:{connectionName}</c> and a health check of the same name, like Aspire's
    /// <c>AddNpgsqlDataSource</c>. Fails fast with <see cref="ConfigurationException"/> if the string is missing or malformed.
    /// </summary>
    public static TBuilder AddNpgsqlDataSource<TBuilder>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetRequiredConnectionString(connectionName);
        NpgsqlDataSourceBuilder dataSourceBuilder;
        try
        {
            dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"ConnectionStrings:{connectionName}", $"is not a valid Npgsql connection string: {ex.Message}", ex);
        }

        // Built lazily by the container, which also disposes it (closing pooled connections) on shutdown.
        builder.Services.AddSingleton(_ => dataSourceBuilder.Build());
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>(connectionName);
        return builder;
    }
}
