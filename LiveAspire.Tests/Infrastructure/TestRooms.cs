using System.Text.Json;
using LiveAspire.Infrastructure.Redis;
using LiveAspire.Infrastructure.Rooms;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveAspire.Tests.Infrastructure;

/// <summary>The server publish call as Api and Worker make it, pointed at a test system's Redis.</summary>
public sealed class TestRooms : IAsyncDisposable
{
    private readonly RedisConnection _redis;

    public TestRooms(string redisConnectionString, int hotWindow = 1000)
    {
        var options = ConfigurationOptions.Parse(redisConnectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        _redis = new RedisConnection(options);
        var roomOptions = Options.Create(new RoomOptions { HotWindow = hotWindow });
        Publisher = new RoomPublisher(_redis, roomOptions);
        History = new RoomHistory(_redis, roomOptions);
    }

    public IRoomPublisher Publisher { get; }
    public IRoomHistory History { get; }
    public IRedisConnection Redis => _redis;

    public static string NewStreamRoom() => RoomName.Stream(Guid.NewGuid()).ToString();

    public Task<PublishResult> PublishAsync(string room, int n, string? id = null) =>
        Publisher.PublishAsync(room, "test.event", JsonSerializer.SerializeToElement(new { n }), id);

    public async Task<List<PublishResult>> PublishManyAsync(string room, int count, int startAt = 1)
    {
        var results = new List<PublishResult>(count);
        for (var i = 0; i < count; i++)
        {
            results.Add(await PublishAsync(room, startAt + i));
        }
        return results;
    }

    public ValueTask DisposeAsync() => _redis.DisposeAsync();
}
