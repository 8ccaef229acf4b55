using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Redis;

/// <summary>
/// Healthy while Redis answers PING. It turns unhealthy during an outage and healthy again once the multiplexer
/// has reconnected on its own; the AppHost does not restart a process for this (DESIGN.md section 2).
/// </summary>
public sealed class RedisHealthCheck(IRedisConnection redis) : IHealthCheck
{
    // A PING queued behind a dead socket would otherwise wait for the client's own (longer) timeout.
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.PingAsync().WaitAsync(s_timeout, cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer PING.", ex);
        }
    }
}
