using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Channels;

/// <summary>The caller's roles in a channel (<c>GET /api/channels/{id}/roles/me</c>) follow appointments, grants and follows at once.</summary>
[Collection(ApiCollection.Name)]
public sealed class ChannelRoleTests(ApiFixture api)
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
}
