using LiveAspire.Access;
using LiveAspire.Contracts.Channels;
using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Rooms;
using LiveAspire.Rooms.Redis;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Access;

/// <summary>
/// Per-channel role changes take effect on open connections (docs/architecture.md section 4) without revoking sessions: a
/// new moderator can join <c>mod:</c> at once (Api deleted the cached roles before notifying), and a removed one
/// is taken out of the channel's restricted rooms with <c>Error(room_forbidden)</c>.
/// </summary>
public sealed partial class ChannelRoleListener(
    IConnectionMultiplexer redis,
    ConnectionRegistry registry,
    RoomAccess access,
    RoomSync sync,
    IHubClients<ILiveClient> clients,
    ILogger<ChannelRoleListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var change in RedisMessages.ReadJsonAsync<ChannelRoleChanged>(redis, AccessKeys.ChannelRolesChannel,
            error => LogRecheckFailed(logger, error), stoppingToken))
        {
            try
            {
                await RecheckAsync(change, stoppingToken);
            }
            catch (Exception e) when (e is RoomStoreUnavailableException or Npgsql.NpgsqlException)
            {
                LogRecheckFailed(logger, e.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task RecheckAsync(ChannelRoleChanged change, CancellationToken cancellationToken)
    {
        foreach (var connection in registry.OfUser(change.UserId))
        {
            foreach (var room in connection.Rooms.Keys)
            {
                if (!RoomName.TryParse(room, out var name) || name.Id != change.ChannelId
                    || await access.CanReadAsync(connection, name, cancellationToken))
                {
                    continue;
                }
                sync.Leave(connection, room);
                await clients.Client(connection.ConnectionId)
                    .Error(HubErrorCodes.RoomForbidden, $"You may no longer read {room}.", null);
                LogRemoved(logger, connection.ConnectionId, room);
            }
        }
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "Connection {ConnectionId} left {Room}: its channel role changed")]
    private static partial void LogRemoved(ILogger logger, string connectionId, string room);

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "Re-checking rooms after a channel role change failed: {Error}")]
    private static partial void LogRecheckFailed(ILogger logger, string error);
}
