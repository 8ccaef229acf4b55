using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace LiveAspire.Infrastructure.Postgres;

/// <summary>Healthy when PostgreSQL answers <c>SELECT 1</c> through the shared data source (so it also proves the pool works).</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL did not answer SELECT 1.", ex);
        }
    }
}
