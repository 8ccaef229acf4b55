using System.Text.Json;

namespace LiveAspire.Access;

/// <summary><see cref="IRevocationPublisher"/> over Redis PUBLISH.</summary>
public sealed class RedisRevocationPublisher(IConnectionMultiplexer redis) : IRevocationPublisher
{
    /// <summary>camelCase, as every other JSON on the wire; subscribers deserialize with the same options.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    // Bounded by the client's pinned timeouts (RedisClientDefaults): throws at once while Redis is down.
    public async Task PublishAsync(RevocationNotice notice, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var json = JsonSerializer.Serialize(notice, JsonOptions);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(AccessKeys.RevocationsChannel), json);
    }

    public async Task PublishAsync(OverlayKeyRevocationNotice notice, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var json = JsonSerializer.Serialize(notice, JsonOptions);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(AccessKeys.OverlayKeyRevocationsChannel), json);
    }
}
