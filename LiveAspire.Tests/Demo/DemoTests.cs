using LiveAspire.Contracts.Channels;
using LiveAspire.Contracts.Chat;
using LiveAspire.Contracts.Paging;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Demo;
using LiveAspire.Tests.Web;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Demo;

/// <summary>
/// The demo of a local run (docs/demo.md) against the whole system with it on, seen only from outside as any client
/// sees the site: its channels in Api's live listing, and in their stream rooms the viewer counts moving both ways and
/// the titles changing (a test client joined like any viewer). And it stops cleanly and starts again over its own
/// accounts and channels.
/// </summary>
[Collection(DemoSystemCollection.Name)]
public sealed class DemoTests(DemoSystemFixture system, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Each kind arrives within seconds on an idle machine (viewers visit every few seconds, titles change
    /// every 1.5 to 4.5 s); the rest is patience for a loaded one.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static readonly IReadOnlyList<DemoRole> Roles = [.. DemoCast.Roles.Take(DemoSystemFixture.Performers)];

    private CollectingClient _watcher = null!;

    public async Task InitializeAsync()
    {
        var user = await SystemTokens.NewUserAsync(system);
        _watcher = await LiveClients.ConnectAsync(system.Endpoint("realtime"), () => SystemTokens.Mint(system, user));
    }

    public async Task DisposeAsync() => await _watcher.DisposeAsync();

    [Fact]
    public async Task EveryKindOfSimulatedActivityArrives()
    {
        // Live: every demo performer's channel is in Api's listing.
        var channels = await LiveDemoChannelsAsync(Roles.Count);
        var rooms = await WatchAsync(channels);

        // Viewers join: a count above the watcher's own connection; signed-in viewers (performers visiting another
        // demo channel) count as users besides the watcher.
        await SeenAsync(rooms, () => rooms.Any(r => Counts(r).Any(c => c.Connections > 1)), "a demo viewer joining a demo stream room");
        await SeenAsync(rooms, () => rooms.Any(r => Counts(r).Any(c => c.Users > 1)), "a signed-in demo viewer in a demo stream room");

        // Viewers leave: in some room a count falls below one before it.
        await SeenAsync(rooms, () => rooms.Any(r => Fell(Counts(r))), "a demo viewer leaving a demo stream room");

        // Titles change: stream.updated with one of the performer's titles.
        await SeenAsync(rooms, () => rooms.Any(r => Updates(r).Count > 0), "a stream.updated in a demo stream room");
        var (room, update) = rooms.SelectMany(r => Updates(r).Select(u => (Room: r, Update: u))).First();
        var role = Roles[channels.FindIndex(c => $"stream:{c.Id:D}" == room)];
        Assert.Contains(update.Title, role.Titles);

        // Chat: signed-in viewers talk, with the channel's emote, mentions of its performer, and replies.
        await SeenAsync(rooms, () => Chat(rooms).Any(m => m.Fragments.Any(f => f.Type == ChatFragmentTypes.Emote)), "a chat message with an emote");
        await SeenAsync(rooms, () => Chat(rooms).Any(m => m.Fragments.Any(f => f.Type == ChatFragmentTypes.Mention)), "a chat message mentioning the performer");
        await SeenAsync(rooms, () => Chat(rooms).Any(m => m.ReplyTo is not null), "a chat reply");
        var withEmote = Chat(rooms).First(m => m.Fragments.Any(f => f.Type == ChatFragmentTypes.Emote));
        var channelRole = Roles[channels.FindIndex(c => c.Id == withEmote.ChannelId)];
        Assert.Equal(channelRole.EmoteCode, withEmote.Fragments.First(f => f.Type == ChatFragmentTypes.Emote).Text);
        var mention = Chat(rooms).First(m => m.Fragments.Any(f => f.Type == ChatFragmentTypes.Mention)).Fragments.First(f => f.Type == ChatFragmentTypes.Mention);
        Assert.Contains(Roles, r => mention.Text == "@" + r.Username);
    }

    /// <summary>What a newcomer's first visit shows: the demo channels live on the home page with their counts, and on
    /// a demo stream page the viewer count moving without a reload as demo viewers come and go.</summary>
    [Fact]
    public async Task ANewcomerSeesTheDemoChannelsLiveOnTheHomePageAndTheViewerCountMoveOnAStreamPage()
    {
        await LiveDemoChannelsAsync(Roles.Count);
        var web = system.Endpoint("web").ToString().TrimEnd('/');
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(web + "/");
            foreach (var role in Roles)
            {
                var card = page.Locator($"[data-testid=live-channels] .channel-card[data-slug='{role.Slug}']");
                Assert.Equal(role.DisplayName, await card.Locator(".name").InnerTextAsync());
                Assert.Contains(await card.Locator(".title").InnerTextAsync(), role.Titles);
                Assert.Matches("^[0-9]+$", await card.Locator("[data-testid=viewer-count]").InnerTextAsync());
            }
            await PageChecks.AssertAsync(page, "demo-home");

            // The stream page follows its count live: this page's own connection plus demo viewers coming and going.
            await page.Locator($".channel-card[data-slug='{Roles[0].Slug}'] .name").ClickAsync();
            await page.WaitForURLAsync($"{web}/c/{Roles[0].Slug}");
            var seen = new HashSet<string>();
            await Eventually.UntilAsync(async () =>
            {
                seen.Add(await page.InnerTextAsync("[data-testid=viewer-count]"));
                // This page's own connection is one; a demo viewer coming or going makes another.
                return seen.Count(c => int.TryParse(c, out var n) && n >= 1) >= 2;
            }, "the viewer count on the demo stream page changing", Deadline);
            await PageChecks.AssertAsync(page, "demo-stream");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "demo");
            throw;
        }
    }

    [Fact]
    public async Task TheDemoStopsCleanlyAndStartsAgainOverItsOwnAccountsAndChannels()
    {
        var before = await LiveDemoChannelsAsync(Roles.Count);
        var rooms = await WatchAsync(before);
        await SeenAsync(rooms, () => rooms.Any(r => Counts(r).Any(c => c.Connections > 1)), "a demo viewer in a demo stream room");

        var demo = system.Part("demo");
        try
        {
            await demo.StopAsync();

            // Stopped (SIGTERM): every broadcast ended, every viewer gone; the watcher alone is left in each room.
            using (var api = system.CreateHttpClient("api"))
            {
                await Eventually.UntilAsync(async () => (await LiveAsync(api)).All(c => !c.Slug.StartsWith("demo-", StringComparison.Ordinal)),
                    "no demo channel live after the demo stopped", Deadline);
            }
            await SeenAsync(rooms, () => rooms.All(r => Counts(r).LastOrDefault() == new PresenceCount(1, 1)),
                "only the watcher left in the demo stream rooms");
        }
        finally
        {
            if (demo.Pid is null)
            {
                await demo.StartAsync();
            }
        }

        // Started again: the same channels live again, owned by the same accounts (going live needs the owner), and
        // no second account or channel of any demo name.
        var after = await LiveDemoChannelsAsync(Roles.Count);
        Assert.Equal(before.Select(c => (c.Slug, c.Id)).Order(), after.Select(c => (c.Slug, c.Id)).Order());
        await using var db = Npgsql.NpgsqlDataSource.Create(system.ConnectionString("livedb"));
        await using var count = db.CreateCommand(
            "SELECT (SELECT count(*) FROM users WHERE username LIKE 'demo\\_%'), (SELECT count(*) FROM channels WHERE slug LIKE 'demo-%')");
        await using var reader = await count.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((Roles.Count, Roles.Count), ((int)reader.GetInt64(0), (int)reader.GetInt64(1)));
    }

    /// <summary>Waits until every demo performer's channel is in <c>GET /api/channels/live</c>; in the cast's order.</summary>
    private async Task<List<LiveChannel>> LiveDemoChannelsAsync(int performers)
    {
        using var api = system.CreateHttpClient("api");
        var slugs = Roles.Select(r => r.Slug).ToList();
        var live = await Eventually.GetAsync(async () => await LiveAsync(api),
            l => l is not null && slugs.All(s => l.Any(c => c.Slug == s)), $"the {performers} demo channels live", Deadline);
        return [.. slugs.Select(s => live.Single(c => c.Slug == s))];
    }

    private static async Task<IReadOnlyList<LiveChannel>> LiveAsync(HttpClient api)
        => (await api.GetFromJsonAsync<KeysetPage<LiveChannel>>("/api/channels/live?limit=100"))!.Items;

    /// <summary>Joins the watcher to each channel's stream room, as a viewer of the site does.</summary>
    private async Task<List<string>> WatchAsync(IEnumerable<LiveChannel> channels)
    {
        var rooms = new List<string>();
        foreach (var channel in channels)
        {
            Assert.Null((await _watcher.Client.JoinStreamAsync(channel.Id.ToString("D"))).Error);
            rooms.Add($"stream:{channel.Id:D}");
        }
        return rooms;
    }

    private List<PresenceCount> Counts(string room) => [.. _watcher.In(room).Where(e => e.Type == EventTypes.PresenceCount)
        .Select(e => e.Data.Deserialize<PresenceCount>(Json)!)];

    private List<ChatMessage> Chat(List<string> rooms) => [.. rooms.SelectMany(r => _watcher.In(r)).Where(e => e.Type == EventTypes.ChatMessage)
        .Select(e => e.Data.Deserialize<ChatMessage>(Json)!)];

    private List<StreamUpdated> Updates(string room) => [.. _watcher.In(room).Where(e => e.Type == EventTypes.StreamUpdated)
        .Select(e => e.Data.Deserialize<StreamUpdated>(Json)!)];

    /// <summary>Whether a count of connections is below an earlier one: someone left.</summary>
    private static bool Fell(List<PresenceCount> counts)
        => counts.Select((c, i) => counts.Take(i).Any(earlier => earlier.Connections > c.Connections)).Any(f => f);

    /// <summary>Waits for <paramref name="condition"/>; on time-out, says every count the watcher saw.</summary>
    private async Task SeenAsync(List<string> rooms, Func<bool> condition, string what)
    {
        try
        {
            await Eventually.UntilAsync(condition, what, Deadline);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}; users/connections seen: {Describe(rooms)}", e);
        }
    }

    private string Describe(List<string> rooms)
        => string.Join("; ", rooms.Select(r => $"{r[..15]}…: {string.Join(" ", Counts(r).Select(c => $"{c.Users}/{c.Connections}"))}"));
}
