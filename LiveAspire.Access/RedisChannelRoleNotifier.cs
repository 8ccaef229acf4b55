using System.Text.Json;
using LiveAspire.Contracts.Channels;
using Microsoft.Extensions.Logging;

namespace LiveAspire.Access;

/// <summary><see cref="IChannelRoleNotifier"/>: DEL of the cached roles, then PUBLISH on <see cref="AccessKeys.ChannelRolesChannel"/>.</summary>
public sealed partial class RedisChannelRoleNotifier(IConnectionMultiplexer redis, ILogger<RedisChannelRoleNotifier> logger) : IChannelRoleNotifier
{
    /// <summary>camelCase, as every other JSON on the wire; subscribers deserialize with the same options.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    // No token: the change is committed, a client hanging up must not cut the follow-up short. Each call is bounded
    // by the client's pinned timeouts (RedisClientDefaults), and fails at once while Redis is down.
    public async Task RolesChangedAsync(Guid channelId, Guid userId)
    {
        try
        {
            // Delete before publishing: a replica that re-reads on the notice must not find the old entry.
            await redis.GetDatabase().KeyDeleteAsync(AccessKeys.ChannelRoles(channelId, userId));
            var json = JsonSerializer.Serialize(new ChannelRoleChanged(channelId, userId), JsonOptions);
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(AccessKeys.ChannelRolesChannel), json);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotifyFailed(logger, channelId, userId, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Could not invalidate roles of user {UserId} in channel {ChannelId} ({Error}); the cache entry expires within 60 s")]
    private static partial void LogNotifyFailed(ILogger logger, Guid channelId, Guid userId, string error);
}
