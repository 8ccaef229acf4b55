using LiveAspire.Infrastructure.Hosting;
using LiveAspire.Infrastructure.Postgres;
using LiveAspire.Infrastructure.Redis;

namespace LiveAspire.Worker;

public static class Extensions
{
    /// <summary>
    /// Registers the Worker's connections; throws <c>ConfigurationException</c> when <c>ConnectionStrings:livedb</c>
    /// or <c>ConnectionStrings:redis</c> is missing. The outbox relay (PostgreSQL in, Redis out) is the first job
    /// to land here; until then the host only proves both stores are reachable through <c>/health</c>.
    /// </summary>
    public static TBuilder AddWorkerServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddNpgsqlDataSource("livedb");
        builder.AddRedisClient("redis");
        builder.Services.AddServiceInstance(builder.Configuration);
        return builder;
    }
}
