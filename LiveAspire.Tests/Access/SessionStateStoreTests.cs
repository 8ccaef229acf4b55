using LiveAspire.Rooms.Redis;
using LiveAspire.Access;
using LiveAspire.Data.Access;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace LiveAspire.Tests.Access;

[Collection(ApiCollection.Name)]
public sealed class SessionStateStoreTests(ApiFixture api)
{
    /// <summary>
    /// Redis as it looks to a process during an outage: the services' own client settings, pointed at a loopback port
    /// nobody listens on, so every call fails at once with a connection error.
    /// </summary>
    private static async Task<IConnectionMultiplexer> UnreachableRedisAsync()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        var options = ConfigurationOptions.Parse($"127.0.0.1:{closedPort}");
        RedisClientDefaults.Apply(options);
        return await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task WhileRedisIsDownSessionStateComesFromPostgreSqlAndRevokedTokensAreStillRejected()
    {
        using var http = api.CreateClient();
        var (_, userId, tokens) = await http.NewSessionAsync();
        using var logoutAll = await http.PostAsync("/api/auth/logout-all", new { }, tokens.AccessToken);
        await using var dataSource = api.CreateDataSource();
        await using var redis = await UnreachableRedisAsync();
        var store = new SessionStateStore(dataSource, redis, new ReadThroughCache(redis, NullLogger<ReadThroughCache>.Instance));
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
        await using var redis = await ConnectionMultiplexer.ConnectAsync(api.ConnectionString("redis")).WaitAsync(TimeSpan.FromSeconds(30));
        await redis.GetDatabase().KeyDeleteAsync(AccessKeys.Session(userId));
        await using var dataSource = api.CreateDataSource();
        var store = new SessionStateStore(dataSource, redis, new ReadThroughCache(redis, NullLogger<ReadThroughCache>.Instance));

        Assert.Null(await store.GetAsync(Guid.NewGuid()).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(new SessionState(1, true), await store.GetAsync(userId).WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
