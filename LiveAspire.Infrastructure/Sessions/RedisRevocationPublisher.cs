using System.Text.Json;
using LiveAspire.Contracts.Auth;
using LiveAspire.Infrastructure.Redis;

namespace LiveAspire.Infrastructure.Sessions;

/// <summary><see cref="IRevocationPublisher"/> over Redis PUBLISH.</summary>
public sealed class RedisRevocationPublisher(IRedisConnection redis) : IRevocationPublisher
{
    /// <summary>camelCase, as every other JSON on the wire; subscribers deserialize with the same options.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(3);

    public async Task PublishAsync(RevocationNotice notice, CancellationToken cancellationToken = default)
    {
        var multiplexer = await redis.GetMultiplexerAsync().WaitAsync(s_timeout, cancellationToken);
        var json = JsonSerializer.Serialize(notice, JsonOptions);
        await multiplexer.GetSubscriber().PublishAsync(RedisKeys.RevocationsChannel, json).WaitAsync(s_timeout, cancellationToken);
    }
}
