using LiveAspire.Api;
using LiveAspire.ServiceDefaults.Hosting;
using LiveAspire.Data;
using LiveAspire.Rooms.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Xunit;

namespace LiveAspire.Tests.Infrastructure;

/// <summary>
/// How every service registers Aspire's store clients: our start-up checks first, then Redis with its pinned
/// settings, and PostgreSQL with one pool and one health check.
/// </summary>
public sealed class StoreClientRegistrationTests
{
    [Theory]
    [InlineData("redis", null, "is missing")]
    [InlineData("redis", " ", "is missing")]
    [InlineData("redis", "password=secret", "names no Redis endpoint")]
    [InlineData("redis", "127.0.0.1:6379,password=secret,noSuchOption=1", "is not a valid Redis connection string")]
    [InlineData("livedb", null, "is missing")]
    [InlineData("livedb", "Host=127.0.0.1;Password=secret;NoSuchKeyword=1", "is not a valid Npgsql connection string")]
    public void AMissingOrMalformedConnectionStringStopsStartUpNamingTheKey(string name, string? value, string problem)
    {
        var builder = NewBuilder(new() { [$"ConnectionStrings:{name}"] = value });

        var error = Assert.Throws<ConfigurationException>(() =>
        {
            _ = name == "redis" ? builder.AddLiveAspireRedisClient(name) : builder.AddLiveAspireNpgsqlDataSource(name);
        });

        Assert.Equal($"ConnectionStrings:{name}", error.Key);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PinnedRedisSettingsWinOverTheConnectionStringAndAspireConfiguration()
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
        Assert.Equal(["StackExchange.Redis"], HealthCheckNames(host));
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
        var builder = NewBuilder(settings);

        builder.AddLiveAspireRedisClient("redis", traceCommands);

        Assert.Equal(disabled, builder.Configuration.GetValue<bool>(Key));
    }

    [Fact]
    public void TheApiChecksItsOnePostgreSqlPoolOnceThoughEfCoreIsEnrichedToo()
    {
        var builder = NewBuilder(new() { ["ConnectionStrings:livedb"] = "Host=127.0.0.1;Port=1;Username=unused;Password=unused;Database=livedb" });

        builder.AddApiDatabase();
        using var host = builder.Build();

        Assert.Equal(["PostgreSql"], HealthCheckNames(host));
    }

    private static HostApplicationBuilder NewBuilder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    private static IEnumerable<string> HealthCheckNames(IHost host)
        => host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name);
}
