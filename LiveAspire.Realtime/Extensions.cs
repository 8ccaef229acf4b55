using LiveAspire.Access;
using LiveAspire.ServiceDefaults.Faults;
using LiveAspire.ServiceDefaults.Hosting;
using LiveAspire.Data;
using LiveAspire.Rooms.Redis;
using LiveAspire.Rooms;
using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Realtime.Heartbeats;
using LiveAspire.Realtime.Presence;
using LiveAspire.Realtime.Edge;
using LiveAspire.Realtime.Access;
using LiveAspire.Realtime.Hubs;

namespace LiveAspire.Realtime;

public static class Extensions
{
    /// <summary>Name of the Redis resource (<c>ConnectionStrings:redis</c>).</summary>
    public const string RedisConnectionName = "redis";

    /// <summary>Name of the database resource (<c>ConnectionStrings:livedb</c>): users' session state, chat tables later.</summary>
    public const string LivedbConnectionName = "livedb";

    /// <summary>Registers the Realtime services; throws <c>ConfigurationException</c> when <c>ConnectionStrings:redis</c> is missing.</summary>
    public static TBuilder AddRealtimeServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // No span per Redis command: presence refreshes a lease per online user every few seconds, which would be
        // thousands of root spans a second in a big room (never per recipient, docs/architecture.md). The delivery path's Redis
        // work is traced per room by our own spans (room.publish, room.resume) and catch-ups are counted.
        builder.AddLiveAspireRedisClient(RedisConnectionName, traceCommands: false);
        builder.AddRooms();
        builder.AddLiveAspireAuthentication();
        // Session versions and bans are checked at connect (cached in Redis, PostgreSQL on a miss), so a revoked or
        // banned user's old token cannot open a new connection; open ones are closed by RevocationListener.
        builder.AddLiveAspireNpgsqlDataSource(LivedbConnectionName);
        builder.Services.AddSessionValidation();
        builder.Services.AddChannelRoles();
        builder.Services.AddServiceInstance(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FaultHooks>();
        if (builder.Configuration["Delivery:OutboxCapacity"] is not null)
        {
            // Renamed ("outbox" names only the transactional outbox): an old setting fails start-up rather than be ignored.
            throw new ConfigurationException("Delivery:OutboxCapacity", "is renamed: set Delivery:SendQueueCapacity instead");
        }
        builder.Services.Configure<DeliveryOptions>(builder.Configuration.GetSection("Delivery"));

        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<ConnectionLifecycle>();
        builder.Services.AddSingleton<LocalRooms>();
        builder.Services.AddSingleton<SendQueuePump>();
        builder.Services.AddSingleton<RoomSync>();
        builder.Services.AddSingleton<RoomAccess>();
        builder.Services.Configure<ShutdownOptions>(builder.Configuration.GetSection("Shutdown"));
        builder.Services.AddHostedService<GracefulShutdown>();
        builder.Services.Configure<HeartbeatOptions>(builder.Configuration.GetSection("Heartbeat"));
        builder.Services.AddSingleton<HeartbeatService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HeartbeatService>());
        builder.Services.AddHostedService<RoomDispatcher>();
        builder.Services.AddHostedService<RedisRecovery>();
        builder.Services.AddHostedService<RevocationListener>();
        builder.Services.AddHostedService<ChannelRoleListener>();

        builder.Services.Configure<PresenceOptions>(builder.Configuration.GetSection("Presence"));
        builder.Services.AddSingleton<PresenceTracker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PresenceTracker>());
        builder.Services.AddSingleton<TypingRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TypingRelay>());

        // JSON protocol only: browsers and every client here speak it, and a room's events are serialized once per
        // room run into a shared frame (one protocol, one frame). SignalR is added by the edge, with its message size,
        // handshake timeout and invocation rate limit.
        builder.Services.AddEdge(builder.Configuration);
        builder.AddLiveHub();
        return builder;
    }
}
