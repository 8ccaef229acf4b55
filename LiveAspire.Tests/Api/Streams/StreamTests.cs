using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Streams;

[Collection(ApiCollection.Name)]
public sealed class StreamTests(ApiFixture api)
{
    [Fact]
    public async Task GoLiveThenEndLeavesAVodWithItsDuration()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var started = await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams", Performer, new { title = "Speedrun", category = "games" }, HttpStatusCode.Created);
        var streamId = started.GetProperty("id").GetGuid();
        var channel = await w.ExpectAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}", Anonymous, null, HttpStatusCode.OK);
        Assert.True(channel.GetProperty("isLive").GetBoolean());
        Assert.Equal("Speedrun", channel.GetProperty("title").GetString());

        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams", Performer, new { })).AssertProblemAsync(HttpStatusCode.Conflict, "stream_already_live");
        var updated = await w.ExpectAsync(HttpMethod.Patch, $"/api/channels/{w.ChannelId}/streams/current", Performer, new { category = "speedruns" }, HttpStatusCode.OK);
        Assert.Equal("speedruns", updated.GetProperty("category").GetString());
        await Task.Delay(1100);

        var ended = await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams/current/end", Performer, null, HttpStatusCode.OK);
        Assert.Equal(streamId, ended.GetProperty("id").GetGuid());
        Assert.True(ended.GetProperty("durationSeconds").GetInt64() >= 1);

        var vod = await w.ExpectAsync(HttpMethod.Get, $"/api/streams/{streamId}", Anonymous, null, HttpStatusCode.OK);
        Assert.Equal("Speedrun", vod.GetProperty("title").GetString());
        Assert.Equal(ended.GetProperty("durationSeconds").GetInt64(), vod.GetProperty("durationSeconds").GetInt64());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, vod.GetProperty("endedAt").ValueKind);
        Assert.False((await w.ExpectAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}", Anonymous, null, HttpStatusCode.OK)).GetProperty("isLive").GetBoolean());
        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams/current/end", Performer, null)).AssertProblemAsync(HttpStatusCode.Conflict, "stream_not_live");
        await (await w.SendAsync(HttpMethod.Get, $"/api/streams/{Guid.NewGuid()}", Anonymous, null)).AssertProblemAsync(HttpStatusCode.NotFound, "stream_not_found");
    }

    [Fact]
    public async Task VodsArePagedNewestFirstWithoutRepeats()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams", Performer, new { title = $"s{i}" }, HttpStatusCode.Created)).GetProperty("id").GetGuid());
            await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams/current/end", Performer, null, HttpStatusCode.OK);
        }
        var seen = new List<Guid>();
        string? next = null;
        do
        {
            var page = await w.ExpectAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}/streams?limit=2" + (next is null ? "" : $"&after={next}"), Anonymous, null, HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
            next = page.GetProperty("next").GetString();
        }
        while (next is not null);
        ids.Reverse();
        Assert.Equal(ids, seen);
        await (await w.SendAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}/streams?after=nonsense", Anonymous, null)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task InvalidInputChangesNothing()
    {
        var w = await ChannelWorld.CreateAsync(api);
        await (await w.SendAsync(HttpMethod.Patch, $"/api/channels/{w.ChannelId}", Performer, new { title = "ok", avatarUrl = "javascript:alert(1)" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await w.SendAsync(HttpMethod.Patch, $"/api/channels/{w.ChannelId}", Performer, new { title = "ok", settings = new[] { 1, 2 } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams", Performer, new { title = new string('x', 500) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await w.SendAsync(HttpMethod.Post, "/api/channels", Viewer, new { slug = "Bad Slug!", displayName = "x" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await w.SendAsync(HttpMethod.Post, "/api/admin/subscriptions", Admin, new { userId = w.Spare.UserId, channelId = w.ChannelId, tier = 4 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var channel = await w.ExpectAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}", Anonymous, null, HttpStatusCode.OK);
        Assert.Equal("first title", channel.GetProperty("title").GetString());
        Assert.False(channel.GetProperty("isLive").GetBoolean());
        Assert.Equal(0L, await api.ScalarAsync("SELECT count(*) FROM streams WHERE channel_id = $1", w.ChannelId));
        Assert.Equal(0L, await api.ScalarAsync("SELECT count(*) FROM channels WHERE owner_id = $1", w.UserId(Viewer)));
        Assert.Equal(0L, await api.ScalarAsync("SELECT count(*) FROM subscriptions WHERE user_id = $1", w.Spare.UserId));
    }
}
