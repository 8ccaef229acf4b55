using LiveAspire.Realtime.Delivery;
using LiveAspire.Realtime.Edge;

namespace LiveAspire.Realtime.Hubs;

public static class LiveHubExtensions
{
    /// <summary>
    /// What SignalR resolves for <see cref="LiveHub"/>: delivery's lifetime manager and the edge's connection handler,
    /// both generic so that neither feature names the hub, and the hub's clients (<see cref="IHubClients{T}"/> of
    /// <see cref="ILiveClient"/>) for every feature that calls them. Features depend on the hub's clients, never on the hub.
    /// </summary>
    public static TBuilder AddLiveHub<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<LiveHubLifetimeManager<LiveHub>>();
        builder.Services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => sp.GetRequiredService<LiveHubLifetimeManager<LiveHub>>());
        builder.Services.AddSingleton<IOpeningConnections>(sp => sp.GetRequiredService<LiveHubLifetimeManager<LiveHub>>());
        // In place of SignalR's own (MapHub resolves the handler from here): it counts long-polling connections.
        builder.Services.AddSingleton<HubConnectionHandler<LiveHub>, CappedHubConnectionHandler<LiveHub>>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IHubContext<LiveHub, ILiveClient>>().Clients);
        return builder;
    }
}
