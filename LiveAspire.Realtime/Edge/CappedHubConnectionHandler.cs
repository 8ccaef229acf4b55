using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Realtime.Edge;

/// <summary>
/// SignalR's connection handler for a hub (registered in its place by the hub), which first counts the
/// connection in the caps unless the request that carries it already does (<see cref="HeldConnectionSlots"/>). That
/// is long polling: its connection outlives every poll and ends only on DELETE, on the server's close, or once the
/// client has not polled for SignalR's disconnect timeout; this method runs for exactly that life, from the first
/// poll. A connection over a cap here (negotiated while there was room) has its handshake answered with
/// <c>too_many_connections</c> (<c>replica_full</c> for the replica's cap) and ends before the hub sees it.
/// </summary>
public sealed partial class CappedHubConnectionHandler<THub>(
    ConnectionSlots slots,
    IOptions<EdgeOptions> edge,
    ILogger<CappedHubConnectionHandler<THub>> logger,
    HubLifetimeManager<THub> lifetimeManager,
    IHubProtocolResolver protocolResolver,
    IOptions<HubOptions> globalHubOptions,
    IOptions<HubOptions<THub>> hubOptions,
    ILoggerFactory loggerFactory,
    IUserIdProvider userIdProvider,
    IServiceScopeFactory serviceScopeFactory)
    : HubConnectionHandler<THub>(lifetimeManager, protocolResolver, globalHubOptions, hubOptions, loggerFactory, userIdProvider, serviceScopeFactory)
    where THub : Hub
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var http = connection.GetHttpContext();
        // A long-polling connection's HttpContext is a copy of its first poll's: whatever that poll carried, no
        // request holds this connection.
        var heldByRequest = connection.Features.Get<IHttpTransportFeature>()?.TransportType != HttpTransportType.LongPolling
            && http?.Features.Get<HeldConnectionSlots>() is not null;
        if (heldByRequest || http is null || SlotKeys.Of(http) is not { } keys)
        {
            await base.OnConnectedAsync(connection);
            return;
        }
        if (!slots.TryTake(keys, out var full))
        {
            LogRefused(logger, connection.ConnectionId, ConnectionSlots.Loggable(full));
            await RefuseAsync(connection, full);
            return;
        }
        try
        {
            await base.OnConnectedAsync(connection);
        }
        finally
        {
            slots.GiveBack(keys);
        }
    }

    /// <summary>Answers the handshake with the error without reading the client's (the hub never starts).</summary>
    private async Task RefuseAsync(ConnectionContext connection, string full)
    {
        var error = full == ConnectionSlots.Replica
            ? $"{HubErrorCodes.ReplicaFull}: this replica holds as many connections as it takes; retry after {edge.Value.ConnectionRetryAfterSeconds} s"
            : $"{HubErrorCodes.TooManyConnections}: too many open connections; retry after {edge.Value.ConnectionRetryAfterSeconds} s";
        HandshakeProtocol.WriteResponseMessage(new HandshakeResponseMessage(error), connection.Transport.Output);
        await connection.Transport.Output.FlushAsync();
    }

    [LoggerMessage(EventId = 3704, Level = LogLevel.Information, Message = "Hub connection {ConnectionId} refused at its handshake: cap reached for {Key}")]
    private static partial void LogRefused(ILogger logger, string connectionId, string key);
}
