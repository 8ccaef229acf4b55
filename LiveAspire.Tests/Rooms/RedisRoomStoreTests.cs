using System.Text.RegularExpressions;
using LiveAspire.Rooms;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveAspire.Tests.Rooms;

/// <summary>
/// The room store specification against <see cref="RoomPublisher"/> and <see cref="RoomHistory"/> on the test
/// system's Redis (shared with other tests: fresh room names, a lost room is its keys deleted, never a flush), plus
/// the in-memory store's envelope texts compared with the script's.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class RedisRoomStoreTests(ApiFixture stores) : RoomStoreSpecification, IAsyncLifetime
{
    private TestRooms _connection = null!;

    private IConnectionMultiplexer Redis => _connection.Redis;

    public async Task InitializeAsync() => _connection = await TestRooms.ConnectAsync(stores.ConnectionString("redis"));

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    protected override Task<(IRoomPublisher Publisher, IRoomHistory History)> CreateAsync(RoomOptions options) =>
        Task.FromResult<(IRoomPublisher, IRoomHistory)>(
            (new RoomPublisher(Redis, Options.Create(options)), new RoomHistory(Redis, Options.Create(options))));

    protected override Task LoseStateAsync(string room) =>
        Redis.GetDatabase().KeyDeleteAsync([RoomKeys.Meta(room), RoomKeys.Events(room), RoomKeys.Ids(room), RoomKeys.IdOrder(room)]);

    protected override async Task SubscribeAsync(string room, Action<string> received)
    {
        var queue = await Redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(RoomKeys.Channel(room)));
        queue.OnMessage(message => received(message.Message!));
    }

    [Fact]
    public async Task TheInMemoryStoreWritesAnEnvelopeCharacterForCharacterAsTheScript()
    {
        var (redis, _) = await CreateAsync(new RoomOptions());
        var memory = new InMemoryRooms(Options.Create(new RoomOptions()));
        var room = TestRooms.NewStreamRoom();
        var received = await ListenAsync(room);
        var memorySent = new List<string>();
        memory.Subscribe(room, memorySent.Add);
        const string id = "a/b\"c\\d\u0001\u001f\u007f\b\f\n\r\t é 😀 <&>'+";
        using var data = JsonDocument.Parse("""{ "text" : "é/\u00e9 \" <b>", "list": [1, 2.50, null] }""");

        await redis.PublishAsync(room, "test.event", data.RootElement, id);
        await memory.PublishAsync(room, "test.event", data.RootElement, id);

        var fromScript = Assert.Single(await ReceiveAsync(received, 1));
        Assert.Equal(WithoutEpochAndTs(fromScript), WithoutEpochAndTs(Assert.Single(memorySent)));
        Assert.Equal(id, Parse(fromScript).GetProperty("id").GetString());
    }

    private static string WithoutEpochAndTs(string envelope) => EpochAndTs().Replace(envelope, "\"epoch\":\"\",\"ts\":0");

    [GeneratedRegex("\"epoch\":\"[0-9a-f]+\",\"ts\":[0-9]+")]
    private static partial Regex EpochAndTs();
}
