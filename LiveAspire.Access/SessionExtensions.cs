using LiveAspire.ServiceDefaults.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveAspire.Access;

public static class SessionExtensions
{
    /// <summary>
    /// Registers <see cref="ISessionStateStore"/>, <see cref="IOverlayKeyStore"/>, <see cref="ISessionValidator"/> (picked up by the JWT handler of
    /// <c>AddLiveAspireAuthentication</c>) and <see cref="IRevocationPublisher"/>. Needs the <c>NpgsqlDataSource</c>
    /// of livedb (<c>AddLiveAspireNpgsqlDataSource</c>) and <c>IConnectionMultiplexer</c> (<c>AddLiveAspireRedisClient</c>).
    /// </summary>
    public static IServiceCollection AddSessionValidation(this IServiceCollection services)
    {
        services.TryAddSingleton<ReadThroughCache>();
        services.TryAddSingleton<SessionStateStore>();
        services.TryAddSingleton<ISessionStateStore>(sp => sp.GetRequiredService<SessionStateStore>());
        services.TryAddSingleton<IOverlayKeyStore, OverlayKeyStore>();
        services.TryAddSingleton<ISessionValidator, SessionValidator>();
        services.TryAddSingleton<IRevocationPublisher, RedisRevocationPublisher>();
        return services;
    }
}
