using System.Security.Claims;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Realtime.Edge;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using LiveAspire.Realtime.Telemetry;

namespace LiveAspire.Realtime.Connections;

/// <summary>Opens and closes a connection's server-side state: registry entry, send queue and its pump, room memberships.</summary>
public sealed partial class ConnectionLifecycle(
    ConnectionRegistry registry,
    LocalRooms rooms,
    IOpeningConnections lifetime,
    IHubClients<ILiveClient> clients,
    IOptions<DeliveryOptions> options,
    IOptions<EdgeOptions> edge,
    ILogger<ConnectionLifecycle> logger)
{
    public LiveConnection Open(HubCallerContext context)
    {
        var user = context.User ?? throw new HubException($"{HubErrorCodes.Unauthorized}: no user");
        // Identity from the validated token only: an overlay token names a channel, a user token a user.
        var overlay = user.FindFirstValue(TokenClaims.TokenUse) == TokenUses.Overlay;
        Guid? userId = overlay ? null : Guid.Parse(user.FindFirstValue(TokenClaims.Subject)!);
        Guid? overlayChannel = overlay && Guid.TryParse(user.FindFirstValue(TokenClaims.Channel), out var ch) ? ch : null;
        if (overlay && overlayChannel is null)
        {
            throw new HubException($"{HubErrorCodes.Unauthorized}: overlay token without a channel");
        }
        var sessionVersion = int.TryParse(user.FindFirstValue(TokenClaims.SessionVersion), out var sv) ? sv : 0;
        var hubConnection = lifetime.TakeOpening(context.ConnectionId)
            ?? throw new InvalidOperationException($"Connection {context.ConnectionId} is not known to the lifetime manager.");
        var queue = new SendQueue(options.Value.SendQueueCapacity, options.Value.MaxEnvelopesPerFrame);
        var connection = new LiveConnection(context.ConnectionId, userId, overlayChannel, sessionVersion, context, hubConnection, queue);
        var client = clients.Client(context.ConnectionId);
        queue.Shed += count => RealtimeTelemetry.Shed.Add(count);
        queue.Overflowed += () =>
        {
            RealtimeTelemetry.Overflows.Add(1);
            LogSlowConsumer(logger, context.ConnectionId);
            // Reconnect first: a bare abort makes SignalR send a Close without allowReconnect, which clients obey by
            // stopping. Told to reconnect, the client resumes from its last seq: nothing is lost, the room not slowed.
            // Bounded: a client that stopped reading altogether never lets the Reconnect frame out.
            _ = client.Reconnect("slow_consumer").WaitAsync(edge.Value.SlowReaderTimeout)
                .ContinueWith(_ => connection.Abort(), TaskScheduler.Default);
        };
        registry.Add(connection);
        // Without the caller's execution context: captured, it would keep SignalR's OnConnected activity (and
        // whatever else flows) alive for the connection's whole life.
        using (ExecutionContext.SuppressFlow())
        {
            _ = PumpAsync(connection, context.ConnectionAborted);
        }
        return connection;
    }

    public void Close(string connectionId)
    {
        if (registry.Remove(connectionId) is not { } connection)
        {
            return;
        }
        foreach (var membership in connection.Rooms.Values)
        {
            rooms.Remove(membership);
        }
        connection.Rooms.Clear();
        connection.SendQueue.Complete();
    }

    // Drains the send queue in order: a shared frame is written as it is (its bytes copied into the connection's pipe);
    // single envelopes waiting together go out in one Events frame serialized for this connection.
    private async Task PumpAsync(LiveConnection connection, CancellationToken aborted)
    {
        try
        {
            // A frame the client does not take within the timeout (transport buffer full, socket not read) marks a
            // slow reader: it is dropped, and the room, which only enqueues into this queue, never waits for it.
            var timeout = edge.Value.SlowReaderTimeout;
            var queue = connection.SendQueue;
            var hubConnection = connection.HubConnection;
            List<EventEnvelope>? envelopes = null;
            while (await queue.WaitAsync())
            {
                if (queue.Hold is { } hold)
                {
                    await hold.WaitAsync(aborted);
                    queue.ReleaseHold();
                }
                envelopes ??= [];
                while (queue.TryTake(envelopes, out var frame))
                {
                    var write = frame is not null
                        ? hubConnection.WriteAsync(frame.Message, aborted)
                        : hubConnection.WriteAsync(new InvocationMessage(nameof(ILiveClient.Events), [envelopes.ToArray()]), aborted);
                    envelopes.Clear();
                    if (!write.IsCompletedSuccessfully)
                    {
                        await write.AsTask().WaitAsync(timeout, aborted);
                    }
                }
            }
        }
        catch (TimeoutException)
        {
            LogSlowReader(logger, connection.ConnectionId, edge.Value.SlowReaderTimeout.TotalSeconds);
            connection.Abort();
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            LogPumpFailed(logger, connection.ConnectionId, e.Message);
            connection.Abort();
        }
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Connection {ConnectionId} fell too far behind; disconnected (it will resume)")]
    private static partial void LogSlowConsumer(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Connection {ConnectionId} did not read a frame within {Seconds} s; dropped as a slow reader (it will resume)")]
    private static partial void LogSlowReader(ILogger logger, string connectionId, double seconds);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Sending to connection {ConnectionId} failed: {Error}")]
    private static partial void LogPumpFailed(ILogger logger, string connectionId, string error);
}
