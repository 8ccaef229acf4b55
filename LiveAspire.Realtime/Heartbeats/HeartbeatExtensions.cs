namespace LiveAspire.Realtime.Heartbeats;

public static class HeartbeatExtensions
{
    /// <summary>Each connection's round-trip time, measured by heartbeats (<see cref="HeartbeatService"/>, section <c>Heartbeat</c>).</summary>
    public static TBuilder AddHeartbeats<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<HeartbeatOptions>(builder.Configuration.GetSection("Heartbeat"));
        builder.Services.AddSingleton<HeartbeatService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HeartbeatService>());
        return builder;
    }
}
