using LiveAspire.Contracts.Channels;
using LiveAspire.Contracts.Paging;
using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Channels;

/// <summary>
/// The listings the site's home page and directory read (docs/channels.md): <c>GET /api/channels</c> searched by name
/// and category, and <c>GET /api/channels/live</c> with each channel's category and performer.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ChannelDirectoryTests(ApiFixture api)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task TheDirectoryFindsChannelsByPartOfTheirNameOrSlugAndByCategoryIgnoringCase()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var tag = $"Q{Guid.NewGuid():N}"[..10];
        await w.ExpectAsync(HttpMethod.Patch, $"/api/channels/{w.ChannelId}", Performer,
            new { displayName = $"The {tag} Show", category = $"Chess {tag}" }, HttpStatusCode.OK);
        await w.ExpectAsync(HttpMethod.Patch, $"/api/channels/{w.OtherChannelId}", OtherPerformer,
            new { displayName = $"Other {tag}_100%", category = $"Music {tag}" }, HttpStatusCode.OK);

        Assert.Equal(new[] { w.ChannelId, w.OtherChannelId }.Order(), (await ListAsync(w, $"q={tag.ToLowerInvariant()}")).Order());
        Assert.Equal([w.ChannelId], await ListAsync(w, $"q={Uri.EscapeDataString($"the {tag}")}"));
        Assert.Equal([w.OtherChannelId], await ListAsync(w, $"q={tag}&category={Uri.EscapeDataString($"MUSIC {tag.ToLowerInvariant()}")}"));
        Assert.Equal([w.ChannelId], await ListAsync(w, $"category={Uri.EscapeDataString($"chess {tag}")}"));
        // A category matches whole, not in part.
        Assert.Empty(await ListAsync(w, $"category={Uri.EscapeDataString("chess")}&q={tag}"));
        // % and _ are matched as themselves, not as wildcards.
        Assert.Equal([w.OtherChannelId], await ListAsync(w, $"q={Uri.EscapeDataString($"{tag}_100%")}"));
        Assert.Empty(await ListAsync(w, $"q={Uri.EscapeDataString($"{tag}%100")}"));
        Assert.Empty(await ListAsync(w, $"q={Uri.EscapeDataString($"{tag[..4]}_{tag[5..]}")}"));
        // The slug is searched too.
        var slug = (await w.ExpectAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}", Anonymous, null, HttpStatusCode.OK)).GetProperty("slug").GetString()!;
        Assert.Equal([w.ChannelId], await ListAsync(w, $"q={slug[2..14]}"));
    }

    [Theory]
    [InlineData("q")]
    [InlineData("category")]
    public async Task ASearchTermThatIsTooLongOrHoldsControlCharactersIs400(string field)
    {
        var w = await ChannelWorld.CreateAsync(api);
        foreach (var bad in new[] { new string('a', 65), "a\u0000b", "a\u202Eb" })
        {
            using var response = await w.SendAsync(HttpMethod.Get, $"/api/channels?{field}={Uri.EscapeDataString(bad)}", Anonymous, null);
            var body = await response.Content.ReadAsStringAsync();
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        }
    }

    [Fact]
    public async Task ALiveChannelIsListedWithItsCategoryAndPerformer()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var category = $"Cat {Guid.NewGuid():N}"[..20];
        await w.ExpectAsync(HttpMethod.Patch, $"/api/channels/{w.ChannelId}", Performer, new { category }, HttpStatusCode.OK);
        await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams", Performer, new { title = "on air" }, HttpStatusCode.Created);
        try
        {
            var live = await FindLiveAsync(w, w.ChannelId);
            Assert.NotNull(live);
            Assert.Equal("on air", live.Title);
            Assert.Equal(category, live.Category);
            var performer = (await w.ExpectAsync(HttpMethod.Get, "/api/me", Performer, null, HttpStatusCode.OK)).GetProperty("username").GetString();
            Assert.Equal(performer, live.PerformerName);
        }
        finally
        {
            await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams/current/end", Performer, null, HttpStatusCode.OK);
        }
        Assert.Null(await FindLiveAsync(w, w.ChannelId));
    }

    [Fact]
    public async Task TheLiveChannelsAUserFollowsAreListedForThemAlone()
    {
        var w = await ChannelWorld.CreateAsync(api);
        Assert.Empty(await LiveFollowsAsync(w, Follower));
        await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams", Performer, new { title = "followed and live" }, HttpStatusCode.Created);
        await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.OtherChannelId}/streams", OtherPerformer, new { title = "live, not followed" }, HttpStatusCode.Created);
        try
        {
            var live = Assert.Single(await LiveFollowsAsync(w, Follower));
            Assert.Equal((w.ChannelId, "followed and live"), (live.Id, live.Title));
            Assert.Empty(await LiveFollowsAsync(w, Viewer));
            await (await w.SendAsync(HttpMethod.Get, "/api/me/follows/live", Anonymous, null)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        }
        finally
        {
            await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams/current/end", Performer, null, HttpStatusCode.OK);
            await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.OtherChannelId}/streams/current/end", OtherPerformer, null, HttpStatusCode.OK);
        }
        Assert.Empty(await LiveFollowsAsync(w, Follower));
    }

    private static async Task<List<LiveChannel>> LiveFollowsAsync(ChannelWorld w, Harness.Actor actor)
        => (await w.ExpectAsync(HttpMethod.Get, "/api/me/follows/live", actor, null, HttpStatusCode.OK)).Deserialize<List<LiveChannel>>(Json)!;

    private static async Task<List<Guid>> ListAsync(ChannelWorld w, string query)
    {
        var page = (await w.ExpectAsync(HttpMethod.Get, $"/api/channels?limit=100&{query}", Anonymous, null, HttpStatusCode.OK))
            .Deserialize<KeysetPage<ChannelDto>>(Json)!;
        Assert.Null(page.Next);
        return [.. page.Items.Select(c => c.Id)];
    }

    private static async Task<LiveChannel?> FindLiveAsync(ChannelWorld w, Guid channel)
    {
        string? after = null;
        do
        {
            var page = (await w.ExpectAsync(HttpMethod.Get, $"/api/channels/live?limit=100{(after is null ? "" : $"&after={after}")}", Anonymous, null, HttpStatusCode.OK))
                .Deserialize<KeysetPage<LiveChannel>>(Json)!;
            if (page.Items.FirstOrDefault(c => c.Id == channel) is { } found)
            {
                return found;
            }
            after = page.Next;
        }
        while (after is not null);
        return null;
    }
}
