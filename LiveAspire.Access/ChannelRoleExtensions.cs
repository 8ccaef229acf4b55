using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveAspire.Access;

public static class ChannelRoleExtensions
{
    /// <summary>
    /// Registers <see cref="IChannelRoleStore"/> and <see cref="IChannelRoleNotifier"/>. Needs the
    /// <c>NpgsqlDataSource</c> of livedb (<c>AddLiveAspireNpgsqlDataSource</c>) and <c>IConnectionMultiplexer</c> (<c>AddLiveAspireRedisClient</c>).
    /// </summary>
    public static IServiceCollection AddChannelRoles(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadThroughCache>();
        services.TryAddSingleton<IChannelRoleStore, ChannelRoleStore>();
        services.TryAddSingleton<IChannelRoleNotifier, RedisChannelRoleNotifier>();
        return services;
    }
}
