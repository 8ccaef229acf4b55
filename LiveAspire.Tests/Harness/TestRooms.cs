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

    /// <summary>Between tries of a publish Redis did not take: the request bound's fail-fast lets one trial call
    /// through per second, so trying far more often only collects immediate refusals.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    public static async Task<TestRooms> ConnectAsync(string redisConnectionString, int hotWindow = 1000)
    {
        var options = ConfigurationOptions.Parse(redisConnectionString);
        RedisClientDefaults.Apply(options);
        return new TestRooms(await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(TimeSpan.FromSeconds(30)), hotWindow);
    }

    public static string NewStreamRoom() => RoomName.Stream(Guid.NewGuid()).ToString();

    /// <summary>How long <see cref="PublishAsync"/> keeps retrying a publish Redis did not take, unless told otherwise.</summary>
    public static readonly TimeSpan DefaultPublishDeadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Publishes event <paramref name="n"/> as a client of the system should: on <see cref="RoomStoreUnavailableException"/>
    /// (the request bound gave up on a Redis that was slow, paused or reconnecting) it publishes again with the SAME
    /// envelope id until <paramref name="deadline"/> (<see cref="DefaultPublishDeadline"/>), then throws the last failure.
    /// The same id makes the retry safe: a try that reached Redis after all is answered as a duplicate with its seq,
    /// never numbered twice (docs/realtime.md). So a test's own publish does not fail on a loaded machine, and what
    /// the test asserts is still the system's answer.
    /// </summary>
    public async Task<PublishResult> PublishAsync(string room, int n, string? id = null, TimeSpan? deadline = null)
    {
        id = RoomEvents.Id(id);
        var until = DateTime.UtcNow + (deadline ?? DefaultPublishDeadline);
        while (true)
        {
            try
            {
                return await PublishOnceAsync(room, n, id);
            }
            catch (RoomStoreUnavailableException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(RetryDelay);
            }
        }
    }

    /// <summary>One try of the publish, as Api makes it: throws <see cref="RoomStoreUnavailableException"/> when Redis
    /// does not take it (for a test of that failure).</summary>
    public Task<PublishResult> PublishOnceAsync(string room, int n, string? id = null) =>
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
