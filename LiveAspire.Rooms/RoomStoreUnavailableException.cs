namespace LiveAspire.Rooms;

/// <summary>
/// Redis cannot be reached: the publish or read did not happen (nothing is buffered in memory). Retryable: error
/// code <c>redis_unavailable</c> in docs/errors.md; outbox-based publishers retry later.
/// </summary>
public sealed class RoomStoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    public const string Code = "redis_unavailable";

    /// <summary>A sensible client back-off before retrying.</summary>
    public const int RetryAfterMs = 1000;
}
