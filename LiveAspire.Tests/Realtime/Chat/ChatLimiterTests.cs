using LiveAspire.Contracts.Realtime;
using LiveAspire.Realtime.Chat;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveAspire.Tests.Realtime.Chat;

/// <summary>
/// The chat limits against the test system's Redis, with two limiters over two connections standing for two Realtime
/// replicas: one budget per user and channel whichever replica a message reaches (docs/chat.md, "Limits").
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ChatLimiterTests(ApiFixture stores) : IAsyncLifetime
{
    private TestRooms _a = null!;
    private TestRooms _b = null!;

    public async Task InitializeAsync()
    {
        _a = await TestRooms.ConnectAsync(stores.ConnectionString("redis"));
        _b = await TestRooms.ConnectAsync(stores.ConnectionString("redis"));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static ChatLimiter Limiter(TestRooms connection, ChatLimitOptions? options = null)
        => new(connection.Redis, Options.Create(options ?? new ChatLimitOptions()));

    [Fact]
    public async Task ABurstOfFiveThenOneASecondIsOneBudgetAcrossTwoReplicas()
    {
        var (a, b) = (Limiter(_a), Limiter(_b));
        var (channel, user) = (Guid.NewGuid(), Guid.NewGuid());

        for (var i = 0; i < 5; i++)
        {
            var verdict = await (i % 2 == 0 ? a : b).CheckAsync(channel, user, $"text {i}", $"m{i}", default);
            Assert.True(verdict.Allowed, $"message {i}: {verdict.Code}");
        }
        // The bucket refills at one a second: however slow this machine, a refusal comes within a few more.
        ChatLimitVerdict refused = default;
        for (var extra = 0; extra < 4; extra++)
        {
            refused = await (extra % 2 == 0 ? b : a).CheckAsync(channel, user, $"more {extra}", $"x{extra}", default);
            if (!refused.Allowed)
            {
                break;
            }
        }
        Assert.False(refused.Allowed);
        Assert.Equal(HubErrorCodes.ChatRateLimited, refused.Code);
        Assert.InRange(refused.RetryAfterMs, 1, 1001);
        await Task.Delay(refused.RetryAfterMs);
        Assert.True((await a.CheckAsync(channel, user, "after the wait", "m7", default)).Allowed);

        // Another user in the same channel, and the same user in another channel, have budgets of their own.
        Assert.True((await a.CheckAsync(channel, Guid.NewGuid(), "text 5", "x", default)).Allowed);
        Assert.True((await b.CheckAsync(Guid.NewGuid(), user, "text 5", "y", default)).Allowed);
    }

    [Fact]
    public async Task ThePerMinuteCapHoldsWhenTheBucketWouldAllow()
    {
        var options = new ChatLimitOptions { UserMessagesPerSecond = 1000, UserBurst = 1000, UserMessagesPerMinute = 3 };
        var (a, b) = (Limiter(_a, options), Limiter(_b, options));
        var (channel, user) = (Guid.NewGuid(), Guid.NewGuid());

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await (i % 2 == 0 ? a : b).CheckAsync(channel, user, $"text {i}", $"m{i}", default)).Allowed);
        }
        var refused = await b.CheckAsync(channel, user, "text 3", "m3", default);

        Assert.Equal(HubErrorCodes.ChatRateLimited, refused.Code);
        Assert.InRange(refused.RetryAfterMs, 1, 60_001);
    }

    [Fact]
    public async Task TheSameTextTwiceIsRefusedForItsWindowButARetryOfTheSameMessagePasses()
    {
        var (a, b) = (Limiter(_a), Limiter(_b));
        var (channel, user) = (Guid.NewGuid(), Guid.NewGuid());

        Assert.True((await a.CheckAsync(channel, user, "same text", "first", default)).Allowed);
        var duplicate = await b.CheckAsync(channel, user, "same text", "second", default);
        Assert.Equal(HubErrorCodes.ChatDuplicate, duplicate.Code);
        Assert.InRange(duplicate.RetryAfterMs, 1, 30_001);

        // The same message again (its clientMsgId): a retry after a lost answer passes, and takes nothing.
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await b.CheckAsync(channel, user, "same text", "first", default)).Allowed);
        }
        // Other text, and the same text from someone else, pass.
        Assert.True((await a.CheckAsync(channel, user, "other text", "third", default)).Allowed);
        Assert.True((await a.CheckAsync(channel, Guid.NewGuid(), "same text", "first", default)).Allowed);
    }

    [Fact]
    public async Task ARefusedMessageTakesNothingFromAnyBudget()
    {
        var options = new ChatLimitOptions { UserMessagesPerSecond = 0.001, UserBurst = 2 };
        var a = Limiter(_a, options);
        var (channel, user) = (Guid.NewGuid(), Guid.NewGuid());

        Assert.True((await a.CheckAsync(channel, user, "one", "1", default)).Allowed);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HubErrorCodes.ChatDuplicate, (await a.CheckAsync(channel, user, "one", $"dup{i}", default)).Code);
        }
        // The duplicates took no token: the second of the burst is still there.
        Assert.True((await a.CheckAsync(channel, user, "two", "2", default)).Allowed);
        Assert.Equal(HubErrorCodes.ChatRateLimited, (await a.CheckAsync(channel, user, "three", "3", default)).Code);
    }

    [Fact]
    public async Task TheChannelFloodGuardCountsEveryoneInTheChannel()
    {
        var options = new ChatLimitOptions { ChannelMessagesPerSecond = 0.001, ChannelBurst = 4 };
        var (a, b) = (Limiter(_a, options), Limiter(_b, options));
        var channel = Guid.NewGuid();

        for (var i = 0; i < 4; i++)
        {
            Assert.True((await (i % 2 == 0 ? a : b).CheckAsync(channel, Guid.NewGuid(), "hi", $"m{i}", default)).Allowed);
        }
        var refused = await a.CheckAsync(channel, Guid.NewGuid(), "hi", "m4", default);

        Assert.Equal(HubErrorCodes.ChatChannelBusy, refused.Code);
        Assert.True(refused.RetryAfterMs > 0);
        Assert.True((await a.CheckAsync(Guid.NewGuid(), Guid.NewGuid(), "hi", "m5", default)).Allowed);
    }

    [Fact]
    public async Task EveryKeyTheLimiterWritesExpires()
    {
        var (channel, user) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.True((await Limiter(_a).CheckAsync(channel, user, "expiring", "e1", default)).Allowed);

        var server = _a.Redis.GetServer(_a.Redis.GetEndPoints()[0]);
        var keys = server.Keys(pattern: $"liveaspire:chat:*{channel:N}*").ToList();
        Assert.Equal(4, keys.Count); // the user's bucket, minute and text, and the channel's flood guard
        foreach (var key in keys)
        {
            var ttl = await _a.Redis.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } t && t > TimeSpan.Zero && t <= TimeSpan.FromSeconds(60), $"{key} lives {ttl}");
        }
    }
}
