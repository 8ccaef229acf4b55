using LiveAspire.Data.Outbox;

namespace LiveAspire.Worker.Outbox;

public static class OutboxRelayExtensions
{
    /// <summary>Registers the relay (needs <c>AddRooms</c>, <c>FaultHooks</c> and <c>ConnectionStrings:livedb</c>).</summary>
    public static TBuilder AddOutboxRelay<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        builder.Services.Configure<OutboxRelayOptions>(builder.Configuration.GetSection("Outbox"));
        builder.Services.AddSingleton<OutboxRelayDataSource>();
        builder.Services.AddSingleton<OutboxMetrics>();
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }
}
