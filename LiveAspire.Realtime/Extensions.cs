using LiveAspire.Infrastructure.Hosting;
using LiveAspire.Infrastructure.Redis;

namespace LiveAspire.Realtime;

public static class Extensions
{
    /// <summary>Name of the Redis resource (<c>ConnectionStrings:redis</c>).</summary>
    public const string RedisConnectionName = "redis";

    /// <summary>Registers the Realtime services; throws <c>ConfigurationException</c> when <c>ConnectionStrings:redis</c> is missing.</summary>
    public static TBuilder AddRealtimeServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Redis carries room fan-out between replicas (DESIGN.md section 4); it is required even before that lands
        // so a replica never reports healthy without it.
        builder.AddRedisClient(RedisConnectionName);
        builder.Services.AddServiceInstance(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        // JSON protocol only: the MessagePack package is not available, and browsers and tests speak JSON.
        builder.Services.AddSignalR();
        return builder;
    }
}
