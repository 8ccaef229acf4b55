namespace LiveAspire.Realtime.Connections;

public static class ConnectionsExtensions
{
    /// <summary>This replica's open connections (<see cref="ConnectionRegistry"/>), their opening and closing
    /// (<see cref="ConnectionLifecycle"/>), and the graceful shutdown that moves them elsewhere (section <c>Shutdown</c>).</summary>
    public static TBuilder AddConnections<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<ConnectionRegistry>();
        builder.Services.AddSingleton<ConnectionLifecycle>();
        builder.Services.Configure<ShutdownOptions>(builder.Configuration.GetSection("Shutdown"));
        builder.Services.AddHostedService<GracefulShutdown>();
        return builder;
    }
}
