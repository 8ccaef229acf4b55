using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LiveAspire.Rooms;

public static class RoomExtensions
{
    /// <summary>Registers <see cref="IRoomPublisher"/>, <see cref="IRoomHistory"/> and the stream rooms' viewer counts
    /// (<see cref="Presence.ViewerCounts"/>); needs <c>AddLiveAspireRedisClient</c>.</summary>
    public static TBuilder AddRooms<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<RoomOptions>(builder.Configuration.GetSection("Rooms"));
        builder.Services.AddSingleton<IRoomPublisher, RoomPublisher>();
        builder.Services.AddSingleton<IRoomHistory, RoomHistory>();
        builder.Services.AddSingleton<Presence.ViewerCounts>();
        return builder;
    }
}
