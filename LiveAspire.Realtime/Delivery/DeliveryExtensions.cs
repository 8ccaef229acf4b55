using LiveAspire.Hosting;

namespace LiveAspire.Realtime.Delivery;

public static class DeliveryExtensions
{
    /// <summary>
    /// Rooms on this replica and what reaches their members (section <c>Delivery</c>): the room subscriptions
    /// (<see cref="LocalRooms"/>), the dispatcher, joins and resume (<see cref="RoomJoins"/>, <see cref="RoomSync"/>), each
    /// connection's send queue and its pump, and the catch-up after Redis reconnects. Asks <see cref="IRoomReadAccess"/>
    /// before every join, which Access registers.
    /// </summary>
    public static TBuilder AddDelivery<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Configuration["Delivery:OutboxCapacity"] is not null)
        {
            // Renamed ("outbox" names only the transactional outbox): an old setting fails start-up rather than be ignored.
            throw new ConfigurationException("Delivery:OutboxCapacity", "is renamed: set Delivery:SendQueueCapacity instead");
        }
        builder.Services.Configure<DeliveryOptions>(builder.Configuration.GetSection("Delivery"));
        builder.Services.AddSingleton<LocalRooms>();
        builder.Services.AddSingleton<RoomSync>();
        builder.Services.AddSingleton<RoomJoins>();
        builder.Services.AddSingleton<SendQueuePump>();
        builder.Services.AddHostedService<RoomDispatcher>();
        builder.Services.AddHostedService<RedisRecovery>();
        return builder;
    }
}
