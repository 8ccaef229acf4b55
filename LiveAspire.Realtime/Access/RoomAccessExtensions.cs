using LiveAspire.Access;
using LiveAspire.Hosting;
using LiveAspire.Realtime.Delivery;

namespace LiveAspire.Realtime.Access;

public static class RoomAccessExtensions
{
    /// <summary>
    /// Who may read which room (<see cref="RoomAccess"/>, delivery's <see cref="IRoomReadAccess"/>), looked up in the
    /// channel roles, and what takes effect on open connections: a role change re-checks their rooms
    /// (<see cref="ChannelRoleListener"/>), a revoked session or overlay key closes them, at once on the notice
    /// (<see cref="RevocationListener"/>) and at the latest on the periodic re-check (<see cref="SessionRecheck"/>), which
    /// also closes guests of a channel that no longer allows them; and which hub methods a guest may call
    /// (<see cref="GuestMethodFilter"/>). Throws <c>ConfigurationException</c> when <c>Revocation:RecheckInterval</c> is not positive.
    /// </summary>
    public static TBuilder AddRoomAccess<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(RevocationOptions.SectionName);
        if ((section.Get<RevocationOptions>() ?? new RevocationOptions()).RecheckInterval <= TimeSpan.Zero)
        {
            throw new ConfigurationException("Revocation:RecheckInterval", "must be positive");
        }
        builder.Services.Configure<RevocationOptions>(section);
        builder.Services.AddChannelRoles();
        builder.Services.AddSingleton<RoomAccess>();
        builder.Services.AddSingleton<IRoomReadAccess>(sp => sp.GetRequiredService<RoomAccess>());
        builder.Services.AddSingleton<ConnectionRevoker>();
        builder.Services.AddHostedService<RevocationListener>();
        builder.Services.AddHostedService<SessionRecheck>();
        builder.Services.AddHostedService<ChannelRoleListener>();
        builder.Services.AddSingleton<GuestMethodFilter>();
        builder.Services.Configure<HubOptions>(o => o.AddFilter<GuestMethodFilter>());
        return builder;
    }
}
