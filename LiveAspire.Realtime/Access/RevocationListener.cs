using LiveAspire.Access;
using LiveAspire.Contracts.Auth;
using LiveAspire.Realtime.Connections;
using LiveAspire.Rooms.Redis;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Access;

/// <summary>
/// Closes connections on this replica when Api revokes what they were opened with, as soon as the notice arrives
/// through Redis pub/sub: a user's sessions (log out everywhere, a ban, a global role change, a password reset; the
/// connections opened with an older session version get <c>Revoked(reason)</c> and close, those opened with a newer
/// token stay), or an overlay key (revoked or rotated: the overlay connections whose token was exchanged for it get
/// <c>Revoked("overlay_key_revoked")</c>). Notices are at-most-once; <see cref="SessionRecheck"/> bounds what a lost
/// one costs.
/// </summary>
public sealed partial class RevocationListener(
    IConnectionMultiplexer redis,
    ConnectionRegistry registry,
    ConnectionRevoker revoker,
    ILogger<RevocationListener> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenToSessionsAsync(stoppingToken), ListenToOverlayKeysAsync(stoppingToken));

    private async Task ListenToSessionsAsync(CancellationToken stoppingToken)
    {
        await foreach (var notice in RedisMessages.ReadJsonAsync<RevocationNotice>(redis, AccessKeys.RevocationsChannel,
            error => LogBadNotice(logger, error), stoppingToken))
        {
            foreach (var connection in registry.OfUser(notice.UserId).Where(c => c.SessionVersion < notice.SessionVersion))
            {
                await revoker.RevokeAsync(connection, notice.Reason, "notice");
            }
        }
    }

    private async Task ListenToOverlayKeysAsync(CancellationToken stoppingToken)
    {
        await foreach (var notice in RedisMessages.ReadJsonAsync<OverlayKeyRevocationNotice>(redis, AccessKeys.OverlayKeyRevocationsChannel,
            error => LogBadNotice(logger, error), stoppingToken))
        {
            // A pass over every connection: keys are revoked rarely (by hand), and an index by key would cost every
            // connection memory for it.
            foreach (var connection in registry.All().Where(c => c.OverlayKeyId == notice.KeyId))
            {
                await revoker.RevokeAsync(connection, RevocationReasons.OverlayKeyRevoked, "notice");
            }
        }
    }

    [LoggerMessage(EventId = 3602, Level = LogLevel.Error, Message = "Unreadable revocation notice: {Error}")]
    private static partial void LogBadNotice(ILogger logger, string error);
}
