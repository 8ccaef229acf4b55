using LiveAspire.Access;
using System.Diagnostics;
using LiveAspire.AppHost.Local;
using LiveAspire.AppHost.Stores;
using LiveAspire.Rooms.Redis;
using LiveAspire.Rooms;
using LiveAspire.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Realtime;

/// <summary>Redis alone, as the AppHost defines it, for a test that takes it down.</summary>
public sealed class RedisOnlyFixture(IMessageSink diagnostics) : PartialSystemFixture(diagnostics)
{
    protected override void Define(IDistributedApplicationBuilder builder, LocalEnvironment local) => builder.AddRedisStore("redis", local);
}

/// <summary>
/// A Realtime replica whose Redis is down when it starts (the real Aspire client with our pinned settings): it
/// starts without a long stall, says so in <c>/health</c>, fails publishes at once, and once Redis is back it is
/// healthy and subscribed to its process-wide channels without a restart.
/// </summary>
[Collection(RedisDownAtStartCollection.Name)]
public sealed class RedisDownAtStartTests(RedisOnlyFixture redis)
{
    private static readonly string[] StartupChannels = [AccessKeys.RevocationsChannel, AccessKeys.ChannelRolesChannel, RedisKeys.TypingChannel];

    [Fact]
    public async Task ARealtimeReplicaStartsWhileRedisIsDownAndSubscribesOnceItIsBack()
    {
        var server = redis.Part("redis");
        var connectionString = redis.ConnectionString("redis");
        try
        {
            // Aspire does not start it again by itself: it stays down until this test starts it.
            await server.StopAsync();

            var started = Stopwatch.StartNew();
            await using var app = await TestApp.StartAsync(Settings(connectionString),
                b => { b.AddServiceDefaults(); b.AddRealtimeServices(); }, a => a.MapDefaultEndpoints());
            started.Stop();
            // Aspire connects synchronously at start; one attempt of ConnectTimeout is the most it may block.
            Assert.True(started.Elapsed < TimeSpan.FromMilliseconds(RedisClientDefaults.ConnectTimeoutMs) + TimeSpan.FromSeconds(10),
                $"start-up took {started.Elapsed}");

            Assert.Equal("Unhealthy", (await HealthAsync(app, HttpStatusCode.ServiceUnavailable)).GetProperty("StackExchange.Redis").GetString());
            var publisher = app.Services.GetRequiredService<IRoomPublisher>();
            var publishing = Stopwatch.StartNew();
            await Assert.ThrowsAsync<RoomStoreUnavailableException>(() => publisher.PublishAsync(
                RoomName.Stream(Guid.NewGuid()).ToString(), "test.event", JsonSerializer.SerializeToElement(new { n = 1 })).WaitAsync(TestApp.Deadline));
            Assert.True(publishing.Elapsed < TimeSpan.FromSeconds(2), $"a publish took {publishing.Elapsed} to fail");

            await server.StartAsync();
            await Eventually.UntilAsync(async () => (await HealthAsync(app, null)).GetProperty("StackExchange.Redis").GetString() == "Healthy",
                "the replica to reconnect by itself");
            await using var probe = await ConnectionMultiplexer.ConnectAsync(connectionString).WaitAsync(TestApp.Deadline);
            foreach (var channel in StartupChannels)
            {
                await Eventually.UntilAsync(async () => await SubscribersAsync(probe, channel) == 1, $"a subscription to {channel}");
            }
            // No listener gave up while Redis was down (a faulted one would also have stopped the host).
            Assert.All(app.Services.GetServices<IHostedService>().OfType<BackgroundService>(),
                s => Assert.False(s.ExecuteTask?.IsFaulted, s.GetType().Name));
        }
        finally
        {
            if (server.Pid is null)
            {
                await server.StartAsync();
            }
        }
    }

    private static Dictionary<string, string?> Settings(string redisConnectionString) => new()
    {
        ["ConnectionStrings:redis"] = redisConnectionString,
        // Never contacted by this test: session checks read PostgreSQL only when a client connects.
        ["ConnectionStrings:livedb"] = "Host=127.0.0.1;Port=1;Username=unused;Password=unused;Database=livedb",
        // ...so its health check fails on every probe; expected here, not worth a log line each time.
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
    };

    private static async Task<JsonElement> HealthAsync(TestApp app, HttpStatusCode? expected)
    {
        using var response = await app.Client.GetAsync("/health").WaitAsync(TestApp.Deadline);
        if (expected is { } status)
        {
            Assert.Equal(status, response.StatusCode);
        }
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync().WaitAsync(TestApp.Deadline)).RootElement;
        return report.GetProperty("checks").Clone();
    }

    private static async Task<long> SubscribersAsync(IConnectionMultiplexer probe, string channel)
    {
        var reply = (RedisResult[])(await probe.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel))!;
        return (long)reply[1];
    }
}

/// <summary>It starts a system (Redis alone): never beside another collection that does.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RedisDownAtStartCollection : ICollectionFixture<RedisOnlyFixture>
{
    public const string Name = "redis-down-at-start";
}
