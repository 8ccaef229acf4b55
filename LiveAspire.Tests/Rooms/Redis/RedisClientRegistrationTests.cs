using LiveAspire.Rooms.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveAspire.Tests.Rooms.Redis;

/// <summary>
/// How every service registers Aspire's Redis client (<c>AddLiveAspireRedisClient</c>): our start-up checks first,
/// then the pinned settings. PostgreSQL's registration: <c>Data/NpgsqlClientRegistrationTests</c>.
/// </summary>
public sealed class RedisClientRegistrationTests
{
    [Theory]
    [InlineData("redis", null, "is missing")]
    [InlineData("redis", " ", "is missing")]
    [InlineData("redis", "password=secret", "names no Redis endpoint")]
    [InlineData("redis", "127.0.0.1:6379,password=secret,noSuchOption=1", "is not a valid Redis connection string")]
    public void AMissingOrMalformedConnectionStringStopsStartUpNamingTheKey(string name, string? value, string problem)
        => BareHost.AssertConnectionStringRefused(name, value, problem, (builder, key) => builder.AddLiveAspireRedisClient(key));

    [Fact]
    public void PinnedRedisSettingsWinOverTheConnectionStringAndAspireConfiguration()
    {
        const string Options = "Aspire:StackExchange:Redis:ConfigurationOptions:";
        var builder = BareHost.CreateBuilder(new()
        {
            ["ConnectionStrings:redis"] = "127.0.0.1:6379,abortConnect=true,connectTimeout=20000,connectRetry=5,syncTimeout=20000,asyncTimeout=20000",
            [Options + "BacklogPolicy"] = "Default",
            [Options + "AsyncTimeout"] = "30000",
        });

        builder.AddLiveAspireRedisClient("redis");
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<ConfigurationOptions>>().Value;

        Assert.False(options.AbortOnConnectFail);
        Assert.False(options.BacklogPolicy.QueueWhileDisconnected);
        Assert.Equal(1, options.ConnectRetry);
        Assert.Equal(RedisClientDefaults.ConnectTimeoutMs, options.ConnectTimeout);
        Assert.Equal(RedisClientDefaults.CommandTimeoutMs, options.AsyncTimeout);
        Assert.Equal(RedisClientDefaults.CommandTimeoutMs, options.SyncTimeout);
        Assert.Equal(["StackExchange.Redis"], host.HealthCheckNames());
    }

    [Theory]
    [InlineData(true, null, false)]
    [InlineData(false, null, true)]
    [InlineData(false, "false", false)]
    [InlineData(true, "true", true)]
    public void RedisCommandSpansFollowTheServicesDefaultUnlessConfigurationSaysOtherwise(bool traceCommands, string? configured, bool disabled)
    {
        const string Key = "Aspire:StackExchange:Redis:DisableTracing";
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:redis"] = "127.0.0.1:6379" };
        if (configured is not null)
        {
            settings[Key] = configured;
        }
        var builder = BareHost.CreateBuilder(settings);

        builder.AddLiveAspireRedisClient("redis", traceCommands);

        Assert.Equal(disabled, builder.Configuration.GetValue<bool>(Key));
    }
}
