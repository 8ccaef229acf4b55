using LiveAspire.Rooms.Redis;
using LiveAspire.Rooms;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveAspire.Tests.Harness;

/// <summary>The server publish call as Api and Worker make it (same client settings), pointed at a test system's Redis.</summary>
public sealed class TestRooms : IAsyncDisposable
{
    private TestRooms(IConnectionMultiplexer redis, int hotWindow)
    {
        Redis = redis;
        var roomOptions = Options.Create(new RoomOptions { HotWindow = hotWindow });
        Publisher = new RoomPublisher(redis, roomOptions);
        History = new RoomHistory(redis, roomOptions);
    }

    public IRoomPublisher Publisher { get; }
    public IRoomHistory History { get; }
    public IConnectionMultiplexer Redis { get; }

    public static async Task<TestRooms> ConnectAsync(string redisConnectionString, int hotWindow = 1000)
    {
        var options = ConfigurationOptions.Parse(redisConnectionString);
        RedisClientDefaults.Apply(options);
        return new TestRooms(await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(TimeSpan.FromSeconds(30)), hotWindow);
    }

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

    public async ValueTask DisposeAsync()
    {
        await Redis.CloseAsync(allowCommandsToComplete: false).WaitAsync(TimeSpan.FromSeconds(10));
        Redis.Dispose();
    }
}
