using LiveAspire.Infrastructure.Redis;
using LiveAspire.Infrastructure.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Xunit;

namespace LiveAspire.Tests.Api.Accounts;

[Collection(ApiCollection.Name)]
public sealed class SessionStateStoreTests(ApiFixture api)
{
    /// <summary>Redis as it looks during an outage: every call times out (RedisException has no public constructor in 1.2.6).</summary>
    private sealed class UnreachableRedis : IRedisConnection
    {
        public Task<IConnectionMultiplexer> GetMultiplexerAsync()
            => Task.FromException<IConnectionMultiplexer>(new TimeoutException("Redis did not answer"));

        public Task<TimeSpan> PingAsync() => Task.FromException<TimeSpan>(new TimeoutException("Redis did not answer"));
    }

    [Fact]
    public async Task WhileRedisIsDownSessionStateComesFromPostgreSqlAndRevokedTokensAreStillRejected()
    {
        using var http = api.CreateClient();
        var (_, userId, tokens) = await http.NewSessionAsync();
        using var logoutAll = await http.PostAsync("/api/auth/logout-all", new { }, tokens.AccessToken);
        await using var dataSource = api.CreateDataSource();
        var store = new SessionStateStore(dataSource, new UnreachableRedis(), NullLogger<SessionStateStore>.Instance);
        var validator = new SessionValidator(store);
        var oldToken = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new("sub", userId.ToString()), new("sv", "1")], "test"));

        var state = await store.GetAsync(userId).WaitAsync(TimeSpan.FromSeconds(30));
        var unknown = await store.GetAsync(Guid.NewGuid()).WaitAsync(TimeSpan.FromSeconds(30));
        var verdict = await validator.ValidateAsync(oldToken, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new SessionState(2, false), state);
        Assert.Null(unknown);
        Assert.Equal("SessionVersionRevoked", verdict);
    }

    [Fact]
    public async Task ACacheMissIsReadFromPostgreSqlNotTakenAsVersionZero()
    {
        using var http = api.CreateClient();
        var (_, userId, _) = await http.NewSessionAsync();
        await api.ScalarAsync("UPDATE users SET banned_at = now() WHERE id = $1 RETURNING 1", userId);
        await using var redis = new RedisConnection(ConfigurationOptions.Parse(api.ConnectionString("redis")));
        await (await redis.GetMultiplexerAsync()).GetDatabase().KeyDeleteAsync(RedisKeys.Session(userId));
        await using var dataSource = api.CreateDataSource();
        var store = new SessionStateStore(dataSource, redis, NullLogger<SessionStateStore>.Instance);

        Assert.Null(await store.GetAsync(Guid.NewGuid()).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(new SessionState(1, true), await store.GetAsync(userId).WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
