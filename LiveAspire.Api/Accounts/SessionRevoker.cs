using LiveAspire.Data.Access;
using LiveAspire.Hosting;
using StackExchange.Redis;

namespace LiveAspire.Api.Accounts;

/// <summary>
/// What follows a committed change of a user's security state: the Redis cache gets the new state (write-through,
/// highest session version wins; see SessionCacheScript), then, for a revocation, a <see cref="RevocationNotice"/>
/// goes to every Realtime replica. Redis failures are logged, not thrown: PostgreSQL already holds the truth, and
/// every service falls back to it while Redis is unreachable, and every Realtime replica re-checks its open
/// connections against PostgreSQL every <c>Revocation:RecheckInterval</c>, which closes them even when both are lost.
/// </summary>
public sealed partial class SessionRevoker(SessionStateStore cache, IRevocationPublisher publisher, FaultHooks faults, ILogger<SessionRevoker> logger)
{
    /// <summary>Call after commit. <paramref name="reason"/> null: refresh the cache only (unban: nobody to disconnect).</summary>
    public async Task AfterCommitAsync(Guid userId, SessionState state, string? reason)
    {
        // Not the request's token: the database change is committed, so the follow-up must not be cut short by a
        // client that hung up.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        if (await faults.DropsAsync(FaultHookNames.RevocationNoticeDrop, $"user:{userId:D}"))
        {
            return; // Testing only: both lost, as in a Redis blip.
        }
        try
        {
            await cache.WriteAsync(userId, state, timeout.Token);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            LogCacheWriteFailed(logger, userId, ex.GetType().Name);
        }
        if (reason is null)
        {
            return;
        }
        try
        {
            await publisher.PublishAsync(new RevocationNotice(userId, state.SessionVersion, reason), timeout.Token);
            LogRevoked(logger, userId, state.SessionVersion, reason);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            LogPublishFailed(logger, userId, reason, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Sessions of user {UserId} revoked up to version {SessionVersion} ({Reason})")]
    private static partial void LogRevoked(ILogger logger, Guid userId, int sessionVersion, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Could not update the session cache of user {UserId} ({Error}); it expires within 10 minutes")]
    private static partial void LogCacheWriteFailed(ILogger logger, Guid userId, string error);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Could not publish the revocation of user {UserId} ({Reason}, {Error}); open connections close at their replica's next re-check")]
    private static partial void LogPublishFailed(ILogger logger, Guid userId, string reason, string error);
}
