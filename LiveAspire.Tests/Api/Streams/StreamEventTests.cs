using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Streams;

/// <summary>The stream events leave through the outbox in the same transaction as the change (the Worker relays them;
/// Realtime/ChannelRoomRulesTests shows them reaching a client).</summary>
[Collection(ApiCollection.Name)]
public sealed class StreamEventTests(ApiFixture api)
{
    [Fact]
    public async Task GoLiveUpdateAndEndEachWriteOneOutboxRowInTheirTransaction()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var room = $"stream:{w.ChannelId}";
        await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams", Performer, new { title = "t" }, HttpStatusCode.Created);
        await w.ExpectAsync(HttpMethod.Patch, $"/api/channels/{w.ChannelId}/streams/current", Performer, new { title = "t2" }, HttpStatusCode.OK);
        await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams/current/end", Performer, null, HttpStatusCode.OK);
        // A refused change writes no event.
        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams/current/end", Performer, null)).AssertProblemAsync(HttpStatusCode.Conflict, "stream_not_live");

        Assert.Equal(1L, await api.ScalarAsync("SELECT count(*) FROM outbox WHERE room = $1 AND type = 'stream.started'", room));
        Assert.Equal(1L, await api.ScalarAsync("SELECT count(*) FROM outbox WHERE room = $1 AND type = 'stream.updated'", room));
        Assert.Equal(1L, await api.ScalarAsync("SELECT count(*) FROM outbox WHERE room = $1 AND type = 'stream.ended'", room));
    }
}
