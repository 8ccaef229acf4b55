using LiveAspire.Api.Overlay;
using LiveAspire.Data.Outbox;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveAspire.Api.Channels;

public static class ChannelsExtensions
{
    /// <summary>Channels, guest tokens, streams, the social graph, emotes and overlay keys. Call after <c>AddAccounts()</c> (Redis, sessions).</summary>
    public static TBuilder AddChannels<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddChannelRoles();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OverlayKeyRevoker>();
        builder.Services.AddSingleton<GuestAccessUpdater>();
        builder.Services.AddSingleton<LiveChannelViewers>();
        // Stream events leave through the outbox, in the same SaveChanges as the change (docs/architecture.md section 5).
        builder.AddOutboxWriter();
        return builder;
    }
}
