using LiveAspire.Hosting;
using Microsoft.Extensions.Hosting;

namespace LiveAspire.Postgres;

public static class PostgresExtensions
{
    /// <summary>
    /// Registers Aspire's Npgsql client (one <see cref="NpgsqlDataSource"/>, hence one connection pool per process;
    /// health check <c>PostgreSql</c>; Npgsql traces and metrics) for <c>ConnectionStrings:{connectionName}</c>.
    /// Checks the string first and throws <see cref="ConfigurationException"/> naming the key when it is missing or
    /// malformed: Aspire would only fail when the data source is first built.
    /// </summary>
    public static TBuilder AddLiveAspireNpgsqlDataSource<TBuilder>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetRequiredConnectionString(connectionName);
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"ConnectionStrings:{connectionName}", $"is not a valid Npgsql connection string: {ex.Message}", ex);
        }
        builder.AddNpgsqlDataSource(connectionName);
        return builder;
    }
}
