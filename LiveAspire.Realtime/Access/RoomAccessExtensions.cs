using LiveAspire.Access;
using LiveAspire.Realtime.Delivery;

namespace LiveAspire.Realtime.Access;

public static class RoomAccessExtensions
{
    /// <summary>
    /// Who may read which room (<see cref="RoomAccess"/>, delivery's <see cref="IRoomReadAccess"/>), looked up in the
    /// channel roles, and what takes effect on open connections: a role change re-checks their rooms
    /// (<see cref="ChannelRoleListener"/>), a revoked session closes them (<see cref="RevocationListener"/>).
    /// </summary>
    public static TBuilder AddRoomAccess<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddChannelRoles();
        builder.Services.AddSingleton<RoomAccess>();
        builder.Services.AddSingleton<IRoomReadAccess>(sp => sp.GetRequiredService<RoomAccess>());
        builder.Services.AddHostedService<RevocationListener>();
        builder.Services.AddHostedService<ChannelRoleListener>();
        return builder;
    }
}
