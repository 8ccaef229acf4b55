using System.Net;
using Xunit;
using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Channels;

[Collection(ApiCollection.Name)]
public sealed class SocialGraphTests(ApiFixture api)
{
    [Fact]
    public async Task RoleChangesShowAtOnceThroughTheCachedRoleLookup()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var path = $"/api/channels/{w.ChannelId}/roles/me";
        var before = await w.ExpectAsync(HttpMethod.Get, path, Viewer, null, HttpStatusCode.OK); // fills the cache
        Assert.False(before.GetProperty("isModerator").GetBoolean());

        await w.ExpectAsync(HttpMethod.Put, $"/api/channels/{w.ChannelId}/moderators/{w.UserId(Viewer)}", Performer, null, HttpStatusCode.NoContent);
        Assert.True((await w.ExpectAsync(HttpMethod.Get, path, Viewer, null, HttpStatusCode.OK)).GetProperty("isModerator").GetBoolean());
        await w.ExpectAsync(HttpMethod.Post, "/api/admin/subscriptions", Admin, new { userId = w.UserId(Viewer), channelId = w.ChannelId, tier = 3 }, HttpStatusCode.Created);
        await w.ExpectAsync(HttpMethod.Put, $"/api/channels/{w.ChannelId}/follow", Viewer, null, HttpStatusCode.NoContent);
        var all = await w.ExpectAsync(HttpMethod.Get, path, Viewer, null, HttpStatusCode.OK);
        Assert.True(all.GetProperty("isSubscriber").GetBoolean() && all.GetProperty("isFollower").GetBoolean() && !all.GetProperty("isOwner").GetBoolean());

        await w.ExpectAsync(HttpMethod.Delete, $"/api/channels/{w.ChannelId}/moderators/{w.UserId(Viewer)}", Performer, null, HttpStatusCode.NoContent);
        Assert.False((await w.ExpectAsync(HttpMethod.Get, path, Viewer, null, HttpStatusCode.OK)).GetProperty("isModerator").GetBoolean());
        await (await w.SendAsync(HttpMethod.Delete, $"/api/channels/{w.ChannelId}/moderators/{w.UserId(Viewer)}", Performer, null)).AssertProblemAsync(HttpStatusCode.NotFound, "moderator_not_found");
        Assert.True((await w.ExpectAsync(HttpMethod.Get, path, Performer, null, HttpStatusCode.OK)).GetProperty("isOwner").GetBoolean());

        var mine = await w.ExpectAsync(HttpMethod.Get, "/api/me/subscriptions", Viewer, null, HttpStatusCode.OK);
        var subscription = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(3, subscription.GetProperty("tier").GetInt32());
        Assert.True(subscription.GetProperty("active").GetBoolean());
        Assert.Equal("admin_grant", subscription.GetProperty("source").GetString());
    }

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
