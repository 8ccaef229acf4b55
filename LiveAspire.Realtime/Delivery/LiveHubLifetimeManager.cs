using System.Collections.Concurrent;

namespace LiveAspire.Realtime.Delivery;

/// <summary>The connection SignalR is opening, handed over once to whoever sets up its server-side state.</summary>
public interface IOpeningConnections
{
    /// <summary>The connection being opened with this id (once).</summary>
    HubConnectionContext? TakeOpening(string connectionId);
}

/// <summary>
/// SignalR's own lifetime manager, which also hands each new connection's <see cref="HubConnectionContext"/> over
/// (<see cref="IOpeningConnections"/>) to the code that opens the connection's state: room traffic is written straight
/// to it as pre-serialized frames (<see cref="HubConnectionContext.WriteAsync(SerializedHubMessage, CancellationToken)"/>),
/// skipping the per-message lookup by connection id and the serialization per recipient of <c>Clients.Client(id)</c>.
/// Everything else (control messages, groups) is SignalR's unchanged behaviour. Generic, so that delivery does not name
/// the hub: the hub registers it for itself.
/// </summary>
public sealed class LiveHubLifetimeManager<THub>(ILogger<DefaultHubLifetimeManager<THub>> logger)
    : DefaultHubLifetimeManager<THub>(logger), IOpeningConnections where THub : Hub
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> _opening = new(StringComparer.Ordinal);

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        // The hub's OnConnectedAsync runs right after this and takes it.
        _opening[connection.ConnectionId] = connection;
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _opening.TryRemove(connection.ConnectionId, out _);
        return base.OnDisconnectedAsync(connection);
    }

    public HubConnectionContext? TakeOpening(string connectionId) => _opening.TryRemove(connectionId, out var connection) ? connection : null;
}
