using LiveAspire.Hosting;
using StackExchange.Redis;

namespace LiveAspire.Api.Overlay;

/// <summary>
/// After a revoke or rotate committed: marks the key inactive in the validators' cache so its tokens stop working
/// at once, then tells every Realtime replica (<see cref="OverlayKeyRevocationNotice"/>), which closes the overlay
/// connections opened with its tokens. If Redis fails, the cached "active" entry still expires within
/// <see cref="OverlayKeyStore.CacheTtl"/>, and each replica's periodic re-check (<c>Revocation:RecheckInterval</c>, read
/// from PostgreSQL) closes the connections.
/// </summary>
public sealed partial class OverlayKeyRevoker(IOverlayKeyStore keys, IRevocationPublisher publisher, FaultHooks faults, ILogger<OverlayKeyRevoker> logger)
{
    public async Task AfterCommitAsync(Guid keyId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        if (await faults.DropsAsync(FaultHookNames.RevocationNoticeDrop, $"overlay-key:{keyId:D}"))
        {
            return; // Testing only: both lost, as in a Redis blip.
        }
        try
        {
            await keys.InvalidateAsync(keyId, timeout.Token);
            LogRevoked(logger, keyId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            LogInvalidateFailed(logger, keyId, ex.GetType().Name);
        }
        try
        {
            await publisher.PublishAsync(new OverlayKeyRevocationNotice(keyId), timeout.Token);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            LogPublishFailed(logger, keyId, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Overlay key {KeyId} revoked")]
    private static partial void LogRevoked(ILogger logger, Guid keyId);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Could not invalidate cached overlay key {KeyId} ({Error}); its tokens may work up to 30 s more")]
    private static partial void LogInvalidateFailed(ILogger logger, Guid keyId, string error);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Error, Message = "Could not publish the revocation of overlay key {KeyId} ({Error}); its open connections close at their replica's next re-check")]
    private static partial void LogPublishFailed(ILogger logger, Guid keyId, string error);
}
