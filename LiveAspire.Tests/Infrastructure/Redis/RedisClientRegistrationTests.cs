using LiveAspire.Infrastructure.Hosting;
using LiveAspire.Infrastructure.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Xunit;

namespace LiveAspire.Tests.Infrastructure.Redis;

/// <summary>How every service registers Aspire's Redis client: start-up checks first, then the pinned settings.</summary>
public sealed class RedisClientRegistrationTests
{
    [Theory]
    [InlineData(null, "is missing")]
    [InlineData(" ", "is missing")]
    [InlineData("password=secret", "names no Redis endpoint")]
    [InlineData("127.0.0.1:6379,noSuchOption=1", "is not a valid Redis connection string")]
    public void AMissingOrMalformedConnectionStringStopsStartUpNamingTheKey(string? value, string problem)
    {
        var builder = NewBuilder(new() { ["ConnectionStrings:redis"] = value });

        var error = Assert.Throws<ConfigurationException>(() => builder.AddLiveAspireRedisClient("redis"));

        Assert.Equal("ConnectionStrings:redis", error.Key);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PinnedClientSettingsWinOverTheConnectionStringAndAspireConfiguration()
    {
        const string Options = "Aspire:StackExchange:Redis:ConfigurationOptions:";
        var builder = NewBuilder(new()
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
    }

    private static HostApplicationBuilder NewBuilder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
