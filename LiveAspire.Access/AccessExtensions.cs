using LiveAspire.ServiceDefaults.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using LiveAspire.Postgres;

namespace LiveAspire.Access;

/// <summary>
/// Registrations of the access lookups. Each needs the <c>NpgsqlDataSource</c> of livedb
/// (<c>AddLiveAspireNpgsqlDataSource</c>) and <c>IConnectionMultiplexer</c> (<c>AddLiveAspireRedisClient</c>).
/// </summary>
public static class AccessExtensions
{
    /// <summary>
    /// Registers <see cref="ISessionStateStore"/>, <see cref="IOverlayKeyStore"/>, <see cref="IGuestChannelStore"/>, <see cref="ISessionValidator"/>
    /// (picked up by the JWT handler of <c>AddLiveAspireAuthentication</c>), <see cref="IRevocationPublisher"/> and
    /// <see cref="AccessRecheckReader"/>.
    /// </summary>
    public static IServiceCollection AddSessionValidation(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadThroughCache>();
        services.TryAddSingleton<SessionStateStore>();
        services.TryAddSingleton<ISessionStateStore>(sp => sp.GetRequiredService<SessionStateStore>());
        services.TryAddSingleton<IOverlayKeyStore, OverlayKeyStore>();
        services.TryAddSingleton<IGuestChannelStore, GuestChannelStore>();
        services.TryAddSingleton<ISessionValidator, SessionValidator>();
        services.TryAddSingleton<IRevocationPublisher, RedisRevocationPublisher>();
        services.TryAddSingleton<AccessRecheckReader>();
        return services;
    }

    /// <summary>Registers <see cref="IChannelRoleStore"/> and <see cref="IChannelRoleNotifier"/>.</summary>
    public static IServiceCollection AddChannelRoles(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadThroughCache>();
        services.TryAddSingleton<IChannelRoleStore, ChannelRoleStore>();
        services.TryAddSingleton<IChannelRoleNotifier, RedisChannelRoleNotifier>();
        return services;
    }
}
