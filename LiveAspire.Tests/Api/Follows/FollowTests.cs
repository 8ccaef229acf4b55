using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Follows;

[Collection(ApiCollection.Name)]
public sealed class FollowTests(ApiFixture api)
{
    [Fact]
    public async Task FollowersArePagedNewestFirstWithTheirFollowDate()
    {
        var w = await ChannelWorld.CreateAsync(api);
        // Follower already follows (world setup); four more, in order.
        foreach (var actor in new[] { Viewer, Subscriber, Moderator, OtherPerformer })
        {
            await w.ExpectAsync(HttpMethod.Put, $"/api/channels/{w.ChannelId}/follow", actor, null, HttpStatusCode.NoContent);
        }
        await w.ExpectAsync(HttpMethod.Put, $"/api/channels/{w.ChannelId}/follow", Viewer, null, HttpStatusCode.NoContent); // idempotent
        var expected = new[] { OtherPerformer, Moderator, Subscriber, Viewer, Follower }.Select(w.UserId).ToList();

        var seen = new List<Guid>();
        var dates = new List<DateTimeOffset>();
        string? next = null;
        do
        {
            var page = await w.ExpectAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}/followers?limit=2" + (next is null ? "" : $"&after={next}"), Performer, null, HttpStatusCode.OK);
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                seen.Add(item.GetProperty("userId").GetGuid());
                dates.Add(item.GetProperty("followedAt").GetDateTimeOffset());
            }
            next = page.GetProperty("next").GetString();
        }
        while (next is not null);
        Assert.Equal(expected, seen);
        Assert.Equal(dates.OrderDescending(), dates);

        var followed = await w.ExpectAsync(HttpMethod.Get, "/api/me/follows", Viewer, null, HttpStatusCode.OK);
        Assert.Equal(w.ChannelId, Assert.Single(followed.GetProperty("items").EnumerateArray()).GetProperty("channelId").GetGuid());
        await w.ExpectAsync(HttpMethod.Delete, $"/api/channels/{w.ChannelId}/follow", Viewer, null, HttpStatusCode.NoContent);
        Assert.Empty((await w.ExpectAsync(HttpMethod.Get, "/api/me/follows", Viewer, null, HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        await (await w.SendAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}/followers?limit=0", Performer, null)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }
}
