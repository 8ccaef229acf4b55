using LiveAspire.Realtime.Edge;
using LiveAspire.Realtime.Telemetry;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// Gives each connection its <see cref="SendQueue"/> and drains it, in order, into the connection's transport: one pump
/// per connection, so a room only ever enqueues and never waits for a slow client. A client that cannot keep up is
/// sent away to resume: told to reconnect when reliable events alone fill its queue, dropped when it does not take a
/// frame within <c>Edge:SlowReaderTimeout</c>.
/// </summary>
public sealed partial class SendQueuePump(
    IHubClients<ILiveClient> clients,
    IOptions<DeliveryOptions> options,
    IOptions<EdgeOptions> edge,
    ILogger<SendQueuePump> logger)
{
    /// <summary>A new connection's queue (<c>Delivery:SendQueueCapacity</c>, <c>Delivery:MaxEnvelopesPerFrame</c>).</summary>
    public SendQueue CreateQueue() => new(options.Value.SendQueueCapacity, options.Value.MaxEnvelopesPerFrame);

    /// <summary>Starts draining <paramref name="connection"/>'s queue; it ends when the queue is completed and empty,
    /// or when the connection is aborted.</summary>
    public void Start(LiveConnection connection, CancellationToken aborted)
    {
        var queue = connection.SendQueue;
        var client = clients.Client(connection.ConnectionId);
        queue.Shed += count => RealtimeTelemetry.Shed.Add(count);
        queue.Overflowed += () =>
        {
            RealtimeTelemetry.Overflows.Add(1);
            LogSlowConsumer(logger, connection.ConnectionId);
            // Reconnect first: a bare abort makes SignalR send a Close without allowReconnect, which clients obey by
            // stopping. Told to reconnect, the client resumes from its last seq: nothing is lost, the room not slowed.
            // Bounded: a client that stopped reading altogether never lets the Reconnect frame out.
            _ = client.Reconnect(ReconnectReasons.SlowConsumer).WaitAsync(edge.Value.SlowReaderTimeout)
                .ContinueWith(_ => connection.Abort(), TaskScheduler.Default);
        };
        // Without the caller's execution context: captured, it would keep SignalR's OnConnected activity (and
        // whatever else flows) alive for the connection's whole life.
        using (ExecutionContext.SuppressFlow())
        {
            _ = PumpAsync(connection, aborted);
        }
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
