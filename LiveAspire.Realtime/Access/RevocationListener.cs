using LiveAspire.Access;
using LiveAspire.Contracts.Auth;
using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Telemetry;
using LiveAspire.Rooms.Redis;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Access;

/// <summary>
/// Closes a user's open connections on this replica when Api revokes their sessions (log out everywhere, a ban, a
/// global role change): every replica gets the notice through Redis pub/sub, tells each affected connection
/// <c>Revoked(reason)</c> and closes it. Connections opened with a newer token stay open.
/// </summary>
public sealed partial class RevocationListener(
    IConnectionMultiplexer redis,
    ConnectionRegistry registry,
    IHubClients<ILiveClient> clients,
    ILogger<RevocationListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var notice in RedisMessages.ReadJsonAsync<RevocationNotice>(redis, AccessKeys.RevocationsChannel,
            error => LogBadNotice(logger, error), stoppingToken))
        {
            await HandleAsync(notice);
        }
    }

    private async Task HandleAsync(RevocationNotice notice)
    {
        foreach (var connection in registry.OfUser(notice.UserId).Where(c => c.SessionVersion < notice.SessionVersion))
        {
            try
            {
                await clients.Client(connection.ConnectionId).Revoked(notice.Reason).WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is TimeoutException or IOException or OperationCanceledException)
            {
                // The notice is a courtesy; closing is what matters.
            }
            connection.Abort();
            RealtimeTelemetry.RevokedConnections.Add(1);
            LogRevoked(logger, connection.ConnectionId, notice.UserId, notice.Reason);
        }
    }

    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "Closed connection {ConnectionId} of user {UserId}: session revoked ({Reason})")]
    private static partial void LogRevoked(ILogger logger, string connectionId, Guid userId, string reason);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Error, Message = "Unreadable revocation notice: {Error}")]
    private static partial void LogBadNotice(ILogger logger, string error);
}
