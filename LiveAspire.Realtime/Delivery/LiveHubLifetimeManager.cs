using System.Collections.Concurrent;
using LiveAspire.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// SignalR's own lifetime manager, which also hands each new connection's <see cref="HubConnectionContext"/> to
/// <see cref="Connections.ConnectionLifecycle"/>: room traffic is written straight to it as pre-serialized frames
/// (<see cref="HubConnectionContext.WriteAsync(SerializedHubMessage, CancellationToken)"/>), skipping the per-message
/// lookup by connection id and the serialization per recipient of <c>Clients.Client(id)</c>. Everything else
/// (control messages, groups) is SignalR's unchanged behaviour.
/// </summary>
public sealed class LiveHubLifetimeManager(ILogger<DefaultHubLifetimeManager<LiveHub>> logger) : DefaultHubLifetimeManager<LiveHub>(logger)
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

    /// <summary>The connection being opened with this id (once).</summary>
    public HubConnectionContext? TakeOpening(string connectionId) => _opening.TryRemove(connectionId, out var connection) ? connection : null;
}
