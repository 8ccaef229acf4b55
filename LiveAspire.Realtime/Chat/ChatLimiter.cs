using System.Security.Cryptography;
using System.Text;
using LiveAspire.Rooms;
using LiveAspire.Rooms.Redis;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Chat;

/// <summary>Chat limits (section <c>Chat</c>), cluster-wide (docs/chat.md, "Limits").</summary>
public sealed class ChatLimitOptions
{
    /// <summary>A user's messages per second in one channel, sustained (token bucket refill). Default 1.</summary>
    public double UserMessagesPerSecond { get; set; } = 1;

    /// <summary>A user's burst in one channel (the bucket's size). Default 5.</summary>
    public int UserBurst { get; set; } = 5;

    /// <summary>A user's messages per minute in one channel (a fixed 60 s window from the first message). Default 30.</summary>
    public int UserMessagesPerMinute { get; set; } = 30;

    /// <summary>The whole channel's messages per second: the flood guard of a big room (token bucket). Default 200.</summary>
    public double ChannelMessagesPerSecond { get; set; } = 200;

    /// <summary>The channel's burst. Default 400.</summary>
    public int ChannelBurst { get; set; } = 400;

    /// <summary>How long the same text from the same user in the same channel is refused. Default 30 s.</summary>
    public int DuplicateWindowSeconds { get; set; } = 30;
}

/// <summary>What the limiter says about one message: allowed, or refused with a code and how long to wait.</summary>
public readonly record struct ChatLimitVerdict(bool Allowed, string? Code, int RetryAfterMs)
{
    public static readonly ChatLimitVerdict Allow = new(true, null, 0);
}

/// <summary>
/// The chat limits, one budget across every Realtime replica (a user connected to both gets one): a per-user,
/// per-channel token bucket (<see cref="ChatLimitOptions.UserMessagesPerSecond"/>, burst
/// <see cref="ChatLimitOptions.UserBurst"/>) and a per-minute cap, a per-channel flood guard, and a duplicate-text guard
/// (the same normalised text from one user in one channel within <see cref="ChatLimitOptions.DuplicateWindowSeconds"/>).
/// One Lua script, one round trip per message, on Redis's clock (replicas' clocks do not matter): it checks every limit
/// and only when all pass takes from each, so a refused message costs nothing. The duplicate guard remembers the
/// message's <c>clientMsgId</c>: the same message sent again (a retry after a lost answer) passes without taking
/// anything, so a retry is never refused as a duplicate of itself. Every key expires on its own.
/// </summary>
public sealed class ChatLimiter(IConnectionMultiplexer redis, IOptions<ChatLimitOptions> options)
{
    private const string Script = """
        local t = redis.call('TIME')
        -- Milliseconds with the microseconds kept: a wait of the retry-after it answers is always enough.
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local userRate, userBurst, perMinute = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local channelRate, channelBurst, duplicateMs = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
        local clientMsgId = ARGV[7]

        local seen = redis.call('GET', KEYS[3])
        if seen then
          if seen == clientMsgId then
            return {1, 0, 'retry'}
          end
          return {0, math.max(redis.call('PTTL', KEYS[3]), 0) + 1, 'chat_duplicate'}
        end

        local function level(key, rate, burst)
          local v = redis.call('HMGET', key, 't', 'ts')
          local tokens, ts = tonumber(v[1]), tonumber(v[2])
          if not tokens then
            return burst
          end
          return math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
        end

        local user = level(KEYS[1], userRate, userBurst)
        if user < 1 then
          return {0, math.ceil((1 - user) * 1000 / userRate) + 1, 'chat_rate_limited'}
        end
        local minute = tonumber(redis.call('GET', KEYS[2]) or '0')
        if minute >= perMinute then
          return {0, math.max(redis.call('PTTL', KEYS[2]), 0) + 1, 'chat_rate_limited'}
        end
        local channel = level(KEYS[4], channelRate, channelBurst)
        if channel < 1 then
          return {0, math.ceil((1 - channel) * 1000 / channelRate) + 1, 'chat_channel_busy'}
        end

        redis.call('HSET', KEYS[1], 't', user - 1, 'ts', now)
        redis.call('PEXPIRE', KEYS[1], math.ceil(userBurst * 1000 / userRate) + 1000)
        if redis.call('INCR', KEYS[2]) == 1 then
          redis.call('PEXPIRE', KEYS[2], 60000)
        end
        redis.call('HSET', KEYS[4], 't', channel - 1, 'ts', now)
        redis.call('PEXPIRE', KEYS[4], math.ceil(channelBurst * 1000 / channelRate) + 1000)
        redis.call('SET', KEYS[3], clientMsgId, 'PX', duplicateMs)
        return {1, 0, 'ok'}
        """;

    /// <summary>
    /// Checks, and when allowed takes from, every limit for one message of <paramref name="userId"/> in
    /// <paramref name="channelId"/>. Throws <see cref="RoomStoreUnavailableException"/> when Redis cannot be reached
    /// or does not answer within the request bound (the hub answers <c>redis_unavailable</c>).
    /// </summary>
    public async Task<ChatLimitVerdict> CheckAsync(Guid channelId, Guid userId, string normalizedText, string clientMsgId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var o = options.Value;
        RedisKey[] keys = [ChatKeys.UserBucket(channelId, userId), ChatKeys.UserMinute(channelId, userId),
            ChatKeys.Duplicate(channelId, userId, TextHash(normalizedText)), ChatKeys.ChannelBucket(channelId)];
        RedisValue[] values = [o.UserMessagesPerSecond, o.UserBurst, o.UserMessagesPerMinute, o.ChannelMessagesPerSecond, o.ChannelBurst,
            o.DuplicateWindowSeconds * 1000, clientMsgId];
        RedisResult[] result;
        try
        {
            result = (RedisResult[])(await RedisRequests.RunAsync(redis, () => redis.GetDatabase().ScriptEvaluateAsync(Script, keys, values)))!;
        }
        catch (Exception e) when (e is TimeoutException or RedisConnectionException or RedisTimeoutException)
        {
            throw new RoomStoreUnavailableException("Redis did not answer the chat limits.", e);
        }
        return (int)result[0] == 1 ? ChatLimitVerdict.Allow : new ChatLimitVerdict(false, (string)result[2]!, Math.Max(1, (int)(long)result[1]));
    }

    /// <summary>First 16 bytes of the text's SHA-256: the duplicate guard's key names the text without holding it.</summary>
    private static string TextHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
}

/// <summary>
/// The limiter's Redis keys. A user's keys in a channel share the hash tag <c>{channelId:userId}</c> (one slot on a
/// Redis Cluster); the channel's flood guard is its own key, so on a cluster the script would touch two slots and
/// would have to become two calls. Today Redis is one server.
/// </summary>
public static class ChatKeys
{
    private const string Prefix = RedisKeys.Prefix + "chat:";

    public static string UserBucket(Guid channelId, Guid userId) => $"{Prefix}{{{channelId:N}:{userId:N}}}:bucket";

    public static string UserMinute(Guid channelId, Guid userId) => $"{Prefix}{{{channelId:N}:{userId:N}}}:minute";

    public static string Duplicate(Guid channelId, Guid userId, string textHash) => $"{Prefix}{{{channelId:N}:{userId:N}}}:text:{textHash}";

    public static string ChannelBucket(Guid channelId) => $"{Prefix}{{{channelId:N}}}:flood";
}

public static class ChatLimitExtensions
{
    /// <summary>Registers <see cref="ChatLimiter"/> with <see cref="ChatLimitOptions"/> from section <c>Chat</c>, checked at start.</summary>
    public static IServiceCollection AddChatLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChatLimitOptions>().Bind(configuration.GetSection("Chat"))
            .Validate(o => o.UserMessagesPerSecond is > 0 and <= 10_000, "Chat:UserMessagesPerSecond must be above 0 and at most 10000")
            .Validate(o => o.UserBurst is >= 1 and <= 10_000, "Chat:UserBurst must be from 1 to 10000")
            .Validate(o => o.UserMessagesPerMinute is >= 1 and <= 1_000_000, "Chat:UserMessagesPerMinute must be from 1 to 1000000")
            .Validate(o => o.ChannelMessagesPerSecond is > 0 and <= 1_000_000, "Chat:ChannelMessagesPerSecond must be above 0 and at most 1000000")
            .Validate(o => o.ChannelBurst is >= 1 and <= 1_000_000, "Chat:ChannelBurst must be from 1 to 1000000")
            .Validate(o => o.DuplicateWindowSeconds is >= 1 and <= 3600, "Chat:DuplicateWindowSeconds must be from 1 to 3600")
            .ValidateOnStart();
        services.AddSingleton<ChatLimiter>();
        return services;
    }
}
