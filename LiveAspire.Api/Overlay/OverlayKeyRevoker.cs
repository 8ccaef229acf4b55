using StackExchange.Redis;

namespace LiveAspire.Api.Overlay;

/// <summary>
/// After a revoke or rotate committed: marks the key inactive in the validators' cache so its tokens stop working
/// at once. If Redis fails, the cached "active" entry still expires within <see cref="OverlayKeyStore.CacheTtl"/>.
/// </summary>
public sealed partial class OverlayKeyRevoker(IOverlayKeyStore keys, ILogger<OverlayKeyRevoker> logger)
{
    public async Task AfterCommitAsync(Guid keyId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await keys.InvalidateAsync(keyId, timeout.Token);
            LogRevoked(logger, keyId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            LogInvalidateFailed(logger, keyId, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2501, Level = LogLevel.Information, Message = "Overlay key {KeyId} revoked")]
    private static partial void LogRevoked(ILogger logger, Guid keyId);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Warning, Message = "Could not invalidate cached overlay key {KeyId} ({Error}); its tokens may work up to 30 s more")]
    private static partial void LogInvalidateFailed(ILogger logger, Guid keyId, string error);
}
