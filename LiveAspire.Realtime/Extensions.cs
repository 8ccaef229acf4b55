using LiveAspire.Access;
using LiveAspire.Realtime.Access;
using LiveAspire.Realtime.Chat;
using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Realtime.Edge;
using LiveAspire.Realtime.Heartbeats;
using LiveAspire.Realtime.Hubs;
using LiveAspire.Realtime.Presence;
using LiveAspire.Rooms;
using LiveAspire.Rooms.Redis;
using LiveAspire.Hosting;
using LiveAspire.Postgres;

namespace LiveAspire.Realtime;

public static class Extensions
{
    /// <summary>Name of the Redis resource (<c>ConnectionStrings:redis</c>).</summary>
    public const string RedisConnectionName = "redis";

    /// <summary>Name of the database resource (<c>ConnectionStrings:livedb</c>): users' session state, channel roles, chat messages.</summary>
    public const string LivedbConnectionName = "livedb";

    /// <summary>
    /// Registers the Realtime services: the stores and identity every feature uses, then one registration per feature
    /// folder (docs/architecture.md, "Inside Realtime"). Throws <c>ConfigurationException</c> when
    /// <c>ConnectionStrings:redis</c> is missing.
    /// </summary>
    public static TBuilder AddRealtimeServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // No span per Redis command: presence refreshes a lease per online user every few seconds, which would be
        // thousands of root spans a second in a big room (never per recipient, docs/architecture.md). The delivery path's Redis
        // work is traced per room by our own spans (room.publish, room.resume) and catch-ups are counted.
        builder.AddLiveAspireRedisClient(RedisConnectionName, traceCommands: false);
        builder.AddRooms();
        builder.AddLiveAspireAuthentication();
        // Session versions and bans are checked at connect (cached in Redis, PostgreSQL on a miss), so a revoked or
        // banned user's old token cannot open a new connection; open ones are closed by Access's RevocationListener.
        builder.AddLiveAspireNpgsqlDataSource(LivedbConnectionName);
        builder.Services.AddSessionValidation();
        builder.Services.AddServiceInstance(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FaultHooks>();

        builder.AddEdge();
        builder.AddConnections();
        builder.AddDelivery();
        builder.AddRoomAccess();
        builder.AddPresence();
        builder.AddChat();
        builder.AddHeartbeats();
        builder.AddLiveHub();
        return builder;
    }
}
