namespace LiveAspire.Realtime.Presence;

public static class PresenceExtensions
{
    /// <summary>Viewer counts and online status (<see cref="PresenceTracker"/>) and typing indicators
    /// (<see cref="TypingRelay"/>), section <c>Presence</c>.</summary>
    public static TBuilder AddPresence<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<PresenceOptions>(builder.Configuration.GetSection("Presence"));
        builder.Services.AddSingleton<PresenceTracker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PresenceTracker>());
        builder.Services.AddSingleton<TypingRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TypingRelay>());
        return builder;
    }
}
