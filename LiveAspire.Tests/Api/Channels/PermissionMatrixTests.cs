using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Channels;

/// <summary>
/// Every channel-related endpoint against every kind of caller. Each row builds its own request per call (and may
/// prepare state first, e.g. a fresh key to rotate), so the order of callers does not change the answers.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PermissionMatrixTests(ApiFixture api)
{
    private const HttpStatusCode Ok = HttpStatusCode.OK, Created = HttpStatusCode.Created, NoContent = HttpStatusCode.NoContent,
        Unauthorized = HttpStatusCode.Unauthorized, Forbidden = HttpStatusCode.Forbidden, Conflict = HttpStatusCode.Conflict, NotFound = HttpStatusCode.NotFound;

    private sealed record Row(string Name, Func<ChannelWorld, Actor, Task<(HttpMethod, string, HttpContent?)>> Request, Dictionary<Actor, HttpStatusCode> Expected);

    private static Dictionary<Actor, HttpStatusCode> Everyone(HttpStatusCode status) => Enum.GetValues<Actor>().ToDictionary(a => a, _ => status);

    private static Dictionary<Actor, HttpStatusCode> Users(HttpStatusCode status, params (Actor Actor, HttpStatusCode Status)[] exceptions)
    {
        var expected = Everyone(status);
        expected[Anonymous] = Unauthorized;
        foreach (var (actor, s) in exceptions)
        {
            expected[actor] = s;
        }
        return expected;
    }

    /// <summary>Only the listed actors succeed; every other user gets 403 and anonymous 401.</summary>
    private static Dictionary<Actor, HttpStatusCode> Only(params (Actor Actor, HttpStatusCode Status)[] allowed) => Users(Forbidden, allowed);

    private static Func<ChannelWorld, Actor, Task<(HttpMethod, string, HttpContent?)>> Fixed(HttpMethod method, Func<ChannelWorld, string> path, object? body = null)
        => (w, _) => Task.FromResult<(HttpMethod, string, HttpContent?)>((method, path(w), body is null ? null : JsonContent.Create(body)));

    private static readonly Row[] s_rows =
    [
        new("list channels", Fixed(HttpMethod.Get, _ => "/api/channels?limit=5"), Everyone(Ok)),
        new("live channels", Fixed(HttpMethod.Get, _ => "/api/channels/live?limit=5"), Everyone(Ok)),
        new("get channel", Fixed(HttpMethod.Get, w => $"/api/channels/{w.ChannelId}"), Everyone(Ok)),
        new("update channel", Fixed(HttpMethod.Patch, w => $"/api/channels/{w.ChannelId}", new { description = "edited" }), Only((Performer, Ok), (Admin, Ok))),
        new("my roles", Fixed(HttpMethod.Get, w => $"/api/channels/{w.ChannelId}/roles/me"), Users(Ok)),
        new("go live", async (w, a) => { await EnsureLiveAsync(w, false); return (HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams", JsonContent.Create(new { title = "t" })); },
            Only((Performer, Created))),
        new("update stream", async (w, a) => { await EnsureLiveAsync(w, true); return (HttpMethod.Patch, $"/api/channels/{w.ChannelId}/streams/current", JsonContent.Create(new { title = "t2" })); },
            Only((Performer, Ok), (Admin, Ok))),
        new("end stream", async (w, a) => { await EnsureLiveAsync(w, true); return (HttpMethod.Post, $"/api/channels/{w.ChannelId}/streams/current/end", null); },
            Only((Performer, Ok), (Admin, Ok))),
        new("list VODs", Fixed(HttpMethod.Get, w => $"/api/channels/{w.ChannelId}/streams"), Everyone(Ok)),
        new("followers", Fixed(HttpMethod.Get, w => $"/api/channels/{w.ChannelId}/followers"), Only((Performer, Ok), (Admin, Ok))),
        new("my follows", Fixed(HttpMethod.Get, _ => "/api/me/follows"), Users(Ok)),
        new("my channel", Fixed(HttpMethod.Get, _ => "/api/me/channel"), Users(NotFound, (Performer, Ok), (OtherPerformer, Ok))),
        new("my live follows", Fixed(HttpMethod.Get, _ => "/api/me/follows/live"), Users(Ok)),
        new("grant subscription", Fixed(HttpMethod.Post, _ => "/api/admin/subscriptions", null), Only((Admin, Created))),
        new("my subscriptions", Fixed(HttpMethod.Get, _ => "/api/me/subscriptions"), Users(Ok)),
        new("list moderators", Fixed(HttpMethod.Get, w => $"/api/channels/{w.ChannelId}/moderators"), Only((Moderator, Ok), (Performer, Ok), (Admin, Ok))),
        new("appoint moderator", Fixed(HttpMethod.Put, w => $"/api/channels/{w.ChannelId}/moderators/{w.Spare.UserId}"), Only((Performer, NoContent), (Admin, NoContent))),
        new("remove moderator", async (w, a) =>
            {
                await w.ExpectAsync(HttpMethod.Put, $"/api/channels/{w.ChannelId}/moderators/{w.Spare.UserId}", Performer, null, NoContent);
                return (HttpMethod.Delete, $"/api/channels/{w.ChannelId}/moderators/{w.Spare.UserId}", null);
            }, Only((Performer, NoContent), (Admin, NoContent))),
        new("channel emote upload", (w, _) => Task.FromResult<(HttpMethod, string, HttpContent?)>(
                (HttpMethod.Post, $"/api/channels/{w.ChannelId}/emotes?code={ChannelWorld.NewEmoteCode()}", ChannelWorld.Image(ChannelWorld.Png))),
            Only((Performer, Created), (Admin, Created))),
        new("global emote upload", (w, _) => Task.FromResult<(HttpMethod, string, HttpContent?)>(
                (HttpMethod.Post, $"/api/admin/emotes?code={ChannelWorld.NewEmoteCode()}", ChannelWorld.Image(ChannelWorld.Png))),
            Only((Admin, Created))),
        new("list emotes", Fixed(HttpMethod.Get, w => $"/api/channels/{w.ChannelId}/emotes"), Everyone(Ok)),
        new("chat history", Fixed(HttpMethod.Get, w => $"/api/channels/{w.ChannelId}/chat?limit=5"), Everyone(Ok)),
        new("delete channel emote", async (w, a) => (HttpMethod.Delete, $"/api/emotes/{await NewChannelEmoteAsync(w)}", null),
            Only((Performer, NoContent), (Admin, NoContent))),
        new("list overlay keys", Fixed(HttpMethod.Get, w => $"/api/channels/{w.ChannelId}/overlay-keys"), Only((Performer, Ok), (Admin, Ok))),
        new("create overlay key", Fixed(HttpMethod.Post, w => $"/api/channels/{w.ChannelId}/overlay-keys"), Only((Performer, Created))),
        new("rotate overlay key", async (w, a) => (HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys/{(await NewKeyAsync(w)).Id}/rotate", null),
            Only((Performer, Created))),
        new("revoke overlay key", async (w, a) => (HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys/{(await NewKeyAsync(w)).Id}/revoke", null),
            Only((Performer, NoContent), (Admin, NoContent))),
        new("exchange overlay key", async (w, a) => (HttpMethod.Post, "/api/overlay/token", JsonContent.Create(new { key = (await NewKeyAsync(w)).Key })), Everyone(Ok)),
        new("follow", Fixed(HttpMethod.Put, w => $"/api/channels/{w.ChannelId}/follow"), Users(NoContent, (Performer, Conflict))),
        new("unfollow", Fixed(HttpMethod.Delete, w => $"/api/channels/{w.ChannelId}/follow"), Users(NoContent)),
        new("create channel", (w, a) => Task.FromResult<(HttpMethod, string, HttpContent?)>((HttpMethod.Post, "/api/channels",
                JsonContent.Create(new { slug = $"m{Guid.NewGuid():N}"[..20], displayName = "Matrix" }))),
            Users(Created, (Performer, Conflict), (OtherPerformer, Conflict))),
    ];

    [Fact]
    public async Task EveryEndpointAnswersEveryKindOfCallerAsTheTableSays()
    {
        var world = await ChannelWorld.CreateAsync(api);
        var failures = new List<string>();
        foreach (var row in s_rows)
        {
            foreach (var (actor, expected) in row.Expected)
            {
                var (method, path, content) = await row.Request(world, actor);
                if (row.Name == "grant subscription")
                {
                    content = JsonContent.Create(new { userId = world.Spare.UserId, channelId = world.ChannelId, tier = 2 });
                }
                using var response = await world.SendAsync(method, path, world.Token(actor), content);
                if (response.StatusCode != expected)
                {
                    failures.Add($"{row.Name} as {actor}: expected {(int)expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else if ((int)expected >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task NobodyChangesAnotherPerformersChannel()
    {
        var world = await ChannelWorld.CreateAsync(api);
        var other = world.OtherChannelId;

        await (await world.SendAsync(HttpMethod.Patch, $"/api/channels/{other}", Performer, new { title = "hijacked" })).AssertProblemAsync(Forbidden, "forbidden");
        await (await world.SendAsync(HttpMethod.Post, $"/api/channels/{other}/streams", Performer, new { })).AssertProblemAsync(Forbidden, "forbidden");
        await (await world.SendAsync(HttpMethod.Put, $"/api/channels/{other}/moderators/{world.UserId(Performer)}", Performer, null)).AssertProblemAsync(Forbidden, "forbidden");
        await (await world.SendAsync(HttpMethod.Post, $"/api/channels/{other}/overlay-keys", Performer, null)).AssertProblemAsync(Forbidden, "forbidden");
        // A moderator of one channel has no rights on another.
        await (await world.SendAsync(HttpMethod.Get, $"/api/channels/{other}/moderators", Moderator, null)).AssertProblemAsync(Forbidden, "forbidden");

        var channel = await world.ExpectAsync(HttpMethod.Get, $"/api/channels/{other}", Anonymous, null, Ok);
        Assert.Equal("first title", channel.GetProperty("title").GetString());
        Assert.False(channel.GetProperty("isLive").GetBoolean());
        Assert.Equal(0, (await world.ExpectAsync(HttpMethod.Get, $"/api/channels/{other}/moderators", OtherPerformer, null, Ok)).GetArrayLength());
    }

    private static async Task EnsureLiveAsync(ChannelWorld w, bool live)
    {
        var isLive = (await w.ExpectAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}", Anonymous, null, Ok)).GetProperty("isLive").GetBoolean();
        if (isLive != live)
        {
            await w.ExpectAsync(HttpMethod.Post, live ? $"/api/channels/{w.ChannelId}/streams" : $"/api/channels/{w.ChannelId}/streams/current/end",
                Performer, live ? new { } : null, live ? Created : Ok);
        }
    }

    private static async Task<Guid> NewChannelEmoteAsync(ChannelWorld w)
    {
        using var response = await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/emotes?code={ChannelWorld.NewEmoteCode()}", w.Token(Performer), ChannelWorld.Image(ChannelWorld.Png));
        Assert.Equal(Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LiveAspire.Contracts.Channels.EmoteDto>())!.Id;
    }

    private static async Task<LiveAspire.Contracts.Channels.OverlayKeySecret> NewKeyAsync(ChannelWorld w)
    {
        using var response = await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys", w.Token(Performer), null);
        Assert.Equal(Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<LiveAspire.Contracts.Channels.OverlayKeySecret>())!;
    }
}
