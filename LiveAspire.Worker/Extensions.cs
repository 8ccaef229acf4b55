using LiveAspire.Hosting;
using LiveAspire.Rooms.Redis;
using LiveAspire.Rooms;
using LiveAspire.Worker.Chat;
using LiveAspire.Worker.Outbox;
using LiveAspire.Postgres;

namespace LiveAspire.Worker;

public static class Extensions
{
    /// <summary>
    /// Registers the Worker's connections and jobs; throws <c>ConfigurationException</c> when <c>ConnectionStrings:livedb</c>
    /// or <c>ConnectionStrings:redis</c> is missing. Jobs: the outbox relay (PostgreSQL in, Redis out; docs/outbox.md) and the chat sweep (docs/chat.md).
    /// </summary>
    public static TBuilder AddWorkerServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddLiveAspireNpgsqlDataSource("livedb");
        builder.AddLiveAspireRedisClient("redis");
        builder.AddRooms();
        builder.Services.AddServiceInstance(builder.Configuration);
        builder.Services.AddSingleton<FaultHooks>();
        builder.AddOutboxRelay();
        builder.AddChatSweep();
        return builder;
    }
}
