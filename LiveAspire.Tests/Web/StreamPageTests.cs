using LiveAspire.Api.Seeding;
using LiveAspire.ServiceDefaults.Authentication;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Web;

/// <summary>
/// The stream page (/c/{slug}) in Chromium against the running system: two Web replicas, two Realtime replicas
/// behind the proxy, Api, the Worker's outbox relay. Changes are made at Api as the performer and must reach the open
/// page through Realtime without a reload. Every variant of the page passes <see cref="PageChecks"/> and is kept as a
/// screenshot under artifacts/screenshots/web/.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class StreamPageTests(AppHostFixture system, ITestOutputHelper output)
{
    private string Web => system.Endpoint("web").ToString().TrimEnd('/');

    [Fact]
    public async Task ASignedInViewerSeesGoingLiveRetitlesTheViewerCountAndGoingOfflineWithoutReloadAndFollows()
    {
        var channel = await StreamChannels.CreateAsync(system, "Signed In Test", description: "Plays test patterns every evening.");
        var viewer = (await SystemTokens.NewSeededUsersAsync(system))[0];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var errors = RecordErrors(page);
        try
        {
            await SignInAsync(page, viewer, $"/c/{channel.Slug}");
            await WaitForStateAsync(page, "connected");
            Assert.Equal("Offline", await page.TextContentAsync("[data-testid=live-badge]"));
            Assert.True(await page.IsVisibleAsync("[data-testid=offline-card]"));
            Assert.Equal("Signed In Test", await page.InnerTextAsync("[data-testid=channel-name]"));
            Assert.Contains("Plays test patterns every evening.", await page.InnerTextAsync(".description"), StringComparison.Ordinal);
            await PageChecks.AssertAsync(page, "stream-signed-in-offline");

            // Going live, a new title and a new category arrive without a reload.
            await channel.GoLiveAsync(system, "Now live");
            await WaitForTextAsync(page, "live-badge", "Live");
            await WaitForTextAsync(page, "stream-title", "Now live");
            Assert.True(await page.IsVisibleAsync("#player"));
            Assert.False(await page.IsVisibleAsync("[data-testid=offline-card]"));
            await channel.RetitleAsync(system, "A new title", "Music");
            await WaitForTextAsync(page, "stream-title", "A new title");
            await WaitForTextAsync(page, "stream-category", "Music");

            // A second viewer (a guest) counts: presence.count's connections.
            await WaitForTextAsync(page, "viewer-count", "1");
            await using (var guestContext = await PageChecks.NewContextAsync(browser))
            {
                var second = await guestContext.NewPageAsync();
                await second.GotoAsync($"{Web}/c/{channel.Slug}");
                await WaitForStateAsync(second, "connected");
                await WaitForTextAsync(page, "viewer-count", "2");
                await WaitForTextAsync(second, "viewer-count", "2");
            }
            await WaitForTextAsync(page, "viewer-count", "1");
            await WaitForQualityAsync(page);
            await PageChecks.AssertAsync(page, "stream-signed-in-live");

            await channel.EndAsync(system);
            await WaitForTextAsync(page, "live-badge", "Offline");
            await page.Locator("[data-testid=offline-card]").WaitForAsync();

            // Follow from the page, kept after a reload; unfollow likewise.
            Assert.Equal("false", await page.GetAttributeAsync("[data-testid=follow-button]", "data-following"));
            await page.ClickAsync("[data-testid=follow-button]");
            await WaitForTextAsync(page, "follow-status", "You follow this channel.");
            await page.ReloadAsync();
            Assert.Equal("true", await page.GetAttributeAsync("[data-testid=follow-button]", "data-following"));
            Assert.StartsWith("Unfollow", (await page.InnerTextAsync("[data-testid=follow-button]")).Trim(), StringComparison.Ordinal);
            await page.ClickAsync("[data-testid=follow-button]");
            await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=follow-button]').dataset.following === 'false'");
            await page.ReloadAsync();
            Assert.Equal("false", await page.GetAttributeAsync("[data-testid=follow-button]", "data-following"));
            Assert.True(errors.Count == 0, string.Join("; ", errors));
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "stream-signed-in");
            throw;
        }
    }

    [Fact]
    public async Task AGuestWatchesAChannelThatAllowsItAndIsRefusedInWordsWithoutAConnectionOnOneThatDoesNot()
    {
        var open = await StreamChannels.CreateAsync(system, "Open To Guests");
        var closed = await StreamChannels.CreateAsync(system, "Members Only", allowAnonymous: false);
        await open.GoLiveAsync(system, "Guests welcome");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var errors = RecordErrors(page);
        try
        {
            await page.GotoAsync($"{Web}/c/{open.Slug}");
            await WaitForStateAsync(page, "connected");
            Assert.Equal("Live", await page.TextContentAsync("[data-testid=live-badge]"));
            await open.RetitleAsync(system, "Seen by a guest");
            await WaitForTextAsync(page, "stream-title", "Seen by a guest");
            Assert.Contains("Sign in", await page.InnerTextAsync(".performer"), StringComparison.Ordinal);
            await PageChecks.AssertAsync(page, "stream-guest-live");
            Assert.True(errors.Count == 0, string.Join("; ", errors));

            var refused = await context.NewPageAsync();
            var sockets = new List<string>();
            refused.WebSocket += (_, socket) => sockets.Add(socket.Url);
            var response = await refused.GotoAsync($"{Web}/c/{closed.Slug}", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.Equal(200, response!.Status);
            var words = await refused.InnerTextAsync("[data-testid=guests-refused]");
            Assert.Contains("lets only signed-in viewers watch", words, StringComparison.Ordinal);
            Assert.Equal(2, await refused.Locator("[data-testid=guests-refused] a").CountAsync());
            Assert.Empty(sockets);
            Assert.False(await refused.EvaluateAsync<bool>("() => 'streamPage' in window"));
            await PageChecks.AssertAsync(refused, "stream-guests-refused");
            page = refused;
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "stream-guest");
            throw;
        }
    }

    [Fact]
    public async Task KillingTheReplicaServingTheViewerReconnectsAndMissesNoEventPublishedMeanwhile()
    {
        var channel = await StreamChannels.CreateAsync(system, "Replica Kill Test");
        await channel.GoLiveAsync(system, "title 0");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        SystemPart? victim = null;
        try
        {
            await page.GotoAsync($"{Web}/c/{channel.Slug}");
            await WaitForStateAsync(page, "connected");
            await channel.RetitleAsync(system, "title 1");
            await WaitForTextAsync(page, "stream-title", "title 1");

            var replica = await page.EvaluateAsync<string>("async () => (await window.streamPage.client.ping()).replica");
            victim = system.Parts("realtime").Single(p => p.Id == replica);
            await victim.KillAsync();
            // Published while the page has no connection (or is getting its next one): the resume must replay them.
            const int last = 12;
            for (var i = 2; i <= last; i++)
            {
                await channel.RetitleAsync(system, $"title {i}");
            }

            await WaitForTextAsync(page, "stream-title", $"title {last}", TimeSpan.FromSeconds(90));
            var states = (await page.GetAttributeAsync("[data-testid=connection]", "data-states"))!.Split(' ');
            output.WriteLine($"states: {string.Join(" → ", states)}");
            var reconnecting = Array.IndexOf(states, "reconnecting");
            Assert.True(reconnecting > 0, $"no reconnecting state: {string.Join(' ', states)}");
            Assert.Contains("connected", states[(reconnecting + 1)..]);
            await WaitForStateAsync(page, "recovered");
            var seqs = await page.EvaluateAsync<long[]>("() => window.streamPage.seqs");
            output.WriteLine($"seqs: {string.Join(' ', seqs)}");
            Assert.True(seqs.Length >= last, $"{seqs.Length} events applied");
            for (var i = 1; i < seqs.Length; i++)
            {
                Assert.True(seqs[i] == seqs[i - 1] + 1, $"hole or repeat after seq {seqs[i - 1]}: {string.Join(' ', seqs)}");
            }
            await PageChecks.AssertAsync(page, "stream-recovered");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "stream-replica-kill");
            throw;
        }
        finally
        {
            // Aspire never restarts a process that exits: the shared system gets its replica back here.
            if (victim is { Pid: null })
            {
                await victim.StartAsync();
            }
        }
    }

    [Fact]
    public async Task AGuestKeepsWatchingAcrossGuestTokenExpiryAndReconnectsWithANewGuestToken()
    {
        var channel = await StreamChannels.CreateAsync(system, "Guest Renewal Test");
        await channel.GoLiveAsync(system, "before expiry");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var errors = RecordErrors(page);
        SystemPart? victim = null;
        try
        {
            var first = await GuestTokenAsync(await page.RunAndWaitForResponseAsync(() => page.GotoAsync($"{Web}/c/{channel.Slug}"), IsGuestToken));
            await WaitForStateAsync(page, "connected");
            Assert.InRange(first.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.Zero, AppHostFixture.GuestTokenLifetime);

            // Past its expiry and the hubs' clock skew the first token opens no connection any more, yet the open
            // connection outlives it (docs/protocol.md) and still delivers.
            var refusedAfter = first.ExpiresAt + new AccessTokenOptions().ClockSkew + TimeSpan.FromSeconds(1);
            await Eventually.UntilAsync(() => DateTimeOffset.UtcNow > refusedAfter, "the page's first guest token to expire",
                AppHostFixture.GuestTokenLifetime + TimeSpan.FromMinutes(2));
            using (var edge = new EdgeClient(system.Endpoint("realtime"), "127.0.0.1"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, (await edge.WebSocketAsync(first.AccessToken)).Refused.Status);
            }
            await channel.RetitleAsync(system, "after expiry");
            await WaitForTextAsync(page, "stream-title", "after expiry");

            Assert.True(errors.Count == 0, string.Join("; ", errors));

            // The connection is lost: the page must reconnect with a new guest token, not the expired one. From here
            // the SignalR library logs the lost connection as a console error; only uncaught script errors count.
            var scriptErrors = new List<string>();
            page.PageError += (_, error) => scriptErrors.Add(error);
            var replica = await page.EvaluateAsync<string>("async () => (await window.streamPage.client.ping()).replica");
            victim = system.Parts("realtime").Single(p => p.Id == replica);
            var renewal = page.WaitForResponseAsync(IsGuestToken, new PageWaitForResponseOptions { Timeout = 90_000 });
            await victim.KillAsync();
            var second = await GuestTokenAsync(await renewal);
            Assert.NotEqual(first.AccessToken, second.AccessToken);
            Assert.True(second.ExpiresAt > first.ExpiresAt, $"renewed token expires {second.ExpiresAt:O}, the first {first.ExpiresAt:O}");

            await channel.RetitleAsync(system, "after the reconnect");
            await WaitForTextAsync(page, "stream-title", "after the reconnect", TimeSpan.FromSeconds(90));
            var states = (await page.GetAttributeAsync("[data-testid=connection]", "data-states"))!.Split(' ');
            output.WriteLine($"states: {string.Join(" → ", states)}");
            var reconnecting = Array.IndexOf(states, "reconnecting");
            Assert.True(reconnecting > 0, $"no reconnecting state: {string.Join(' ', states)}");
            Assert.Contains("connected", states[(reconnecting + 1)..]);
            Assert.DoesNotContain("offline", states);
            Assert.Equal("Live", await page.TextContentAsync("[data-testid=live-badge]"));
            await PageChecks.AssertAsync(page, "stream-guest-renewed");
            Assert.True(scriptErrors.Count == 0, string.Join("; ", scriptErrors));
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "stream-guest-renewal");
            throw;
        }
        finally
        {
            if (victim is { Pid: null })
            {
                await victim.StartAsync();
            }
        }
    }

    [Fact]
    public async Task ThePlayerAnimatesAndStandsStillUnderReducedMotion()
    {
        var channel = await StreamChannels.CreateAsync(system, "Motion Test");
        await channel.GoLiveAsync(system, "Moving pictures");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);

        await using (var moving = await PageChecks.NewContextAsync(browser, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ReducedMotion = ReducedMotion.NoPreference,
        }))
        {
            var page = await OpenPlayerAsync(moving, channel);
            try
            {
                // Animated: the picture changes from frame to frame.
                await page.EvaluateAsync("() => { window.firstFrame = document.getElementById('player').toDataURL(); }");
                await page.WaitForFunctionAsync("() => document.getElementById('player').toDataURL() !== window.firstFrame");
                await PageChecks.AssertAsync(page, "stream-player-animated");

                // The setting changes while the page is open: the player stops at a still frame.
                await page.EmulateMediaAsync(new PageEmulateMediaOptions { ReducedMotion = ReducedMotion.Reduce });
                Assert.True(await CanvasStandsStillAsync(page), "the player kept animating after reduced motion was switched on");
            }
            catch
            {
                await PageChecks.ReportFailureAsync(page, output, "stream-player-animated");
                throw;
            }
        }

        await using var still = await PageChecks.NewContextAsync(browser, new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ReducedMotion = ReducedMotion.Reduce,
        });
        var stillPage = await OpenPlayerAsync(still, channel);
        try
        {
            Assert.True(await CanvasStandsStillAsync(stillPage), "the player animates under prefers-reduced-motion: reduce");
            await PageChecks.AssertAsync(stillPage, "stream-player-reduced-motion");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(stillPage, output, "stream-player-reduced-motion");
            throw;
        }
    }

    /// <summary>Opens the live channel's page and waits until the player has drawn (a painted, opaque pixel).</summary>
    private async Task<IPage> OpenPlayerAsync(IBrowserContext context, StreamChannel channel)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{Web}/c/{channel.Slug}");
        await WaitForStateAsync(page, "connected");
        Assert.True(await page.IsVisibleAsync("#player"));
        await page.WaitForFunctionAsync("() => document.getElementById('player').getContext('2d').getImageData(1, 1, 1, 1).data[3] === 255");
        return page;
    }

    /// <summary>
    /// Whether the player's picture is the same across 30 animation frames (half a second at 60 Hz; the animation
    /// draws at 30 frames a second, so an animated player has changed by then).
    /// </summary>
    private static Task<bool> CanvasStandsStillAsync(IPage page) => page.EvaluateAsync<bool>("""
        async () => {
          const canvas = document.getElementById('player');
          const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
          await frame(); await frame(); // a change of setting takes effect by the next frame
          const before = canvas.toDataURL();
          for (let i = 0; i < 30; i++) await frame();
          return canvas.toDataURL() === before;
        }
        """);

    private static bool IsGuestToken(IResponse response) => response.Url.Contains("/guest/token/", StringComparison.Ordinal);

    /// <summary>The token and expiry a <c>/guest/token/{channelId}</c> answer gave the page.</summary>
    private static async Task<(string AccessToken, DateTimeOffset ExpiresAt)> GuestTokenAsync(IResponse response)
    {
        Assert.True(response.Status == 200, $"{response.Url} answered {response.Status}: {await response.TextAsync()}");
        var body = (await response.JsonAsync())!.Value;
        return (body.GetProperty("accessToken").GetString()!, body.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AChannelNamedWithMarkupShowsItAsTextAndRunsNoScript()
    {
        const string markup = "<img src=x onerror=alert(1)>";
        var channel = await StreamChannels.CreateAsync(system, markup, title: markup, description: markup);
        await channel.GoLiveAsync(system, markup);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) => { dialogs.Add(dialog.Message); await dialog.DismissAsync(); };
        try
        {
            await page.GotoAsync($"{Web}/c/{channel.Slug}");
            await WaitForStateAsync(page, "connected");
            // The script writes the live title too: markup in an event is text as well.
            await channel.RetitleAsync(system, markup + " again", markup);
            await WaitForTextAsync(page, "stream-title", markup + " again");
            Assert.Equal(markup, await page.InnerTextAsync("[data-testid=channel-name]"));
            Assert.Equal(markup, await page.InnerTextAsync("[data-testid=stream-category]"));
            Assert.Equal(markup, await page.InnerTextAsync(".description"));
            Assert.Equal(0, await page.Locator("img").CountAsync());
            await PageChecks.AssertAsync(page, "stream-markup-name");
            Assert.Empty(dialogs);
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "stream-markup");
            throw;
        }
    }

    [Fact]
    public async Task AnUnknownChannelIsANotFoundPageInWords()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync($"{Web}/c/{$"nosuch{Guid.NewGuid():N}"[..24]}");
        Assert.Equal(404, response!.Status);
        Assert.Contains("That page does not exist.", await page.InnerTextAsync("main"), StringComparison.Ordinal);
        await PageChecks.AssertAsync(page, "stream-not-found");
    }

    /// <summary>
    /// Api stopped (a deploy, a crash): the stream page says in words that the channel cannot be shown, with status
    /// 503 and no stack trace, and shows the channel again once Api is back.
    /// </summary>
    [Fact]
    public async Task WhileApiIsDownTheStreamPageSaysSoInWordsAndShowsTheChannelWhenItIsBack()
    {
        var channel = await StreamChannels.CreateAsync(system, "Api outage channel");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        var api = system.Part("api");
        try
        {
            await api.StopAsync();
            var down = await page.GotoAsync($"{Web}/c/{channel.Slug}");
            Assert.Equal(503, down!.Status);
            Assert.Equal("This channel cannot be shown right now", await page.InnerTextAsync("[data-testid=channel-unavailable] h1"));
            Assert.DoesNotContain("Exception", await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Equal(0, await page.Locator("[data-testid=stream-page]").CountAsync());
            await PageChecks.AssertAsync(page, "stream-api-unavailable");
        }
        finally
        {
            if (api.Pid is null)
            {
                await api.StartAsync();
            }
        }
        var back = await page.GotoAsync($"{Web}/c/{channel.Slug}");
        Assert.Equal(200, back!.Status);
        Assert.Equal("Api outage channel", await page.InnerTextAsync("[data-testid=channel-name]"));
    }

    /// <summary>Script errors and console errors of the page (a callback that threw is logged by live-client.js).</summary>
    private static List<string> RecordErrors(IPage page)
    {
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.Contains("status of 404", StringComparison.Ordinal))
            {
                errors.Add($"{message.Text} ({message.Location})");
            }
        };
        return errors;
    }

    private async Task SignInAsync(IPage page, SeededUser user, string returnUrl)
    {
        await page.GotoAsync($"{Web}/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.FillAsync("#login", user.Username);
        await page.FillAsync("#password", UserSeeder.DefaultPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(Web + returnUrl);
        Assert.Equal(user.Username, await page.InnerTextAsync("[data-testid=user-name]"));
    }

    /// <summary>Waits until the connection indicator shows <paramref name="state"/>.</summary>
    private static Task WaitForStateAsync(IPage page, string state)
        => page.WaitForFunctionAsync("s => document.querySelector('[data-testid=connection]')?.dataset.state === s", state);

    private static Task WaitForTextAsync(IPage page, string id, string text, TimeSpan? timeout = null)
        => page.WaitForFunctionAsync("([id, t]) => document.getElementById(id)?.textContent.trim() === t", new[] { id, text },
            new PageWaitForFunctionOptions { Timeout = (float)(timeout ?? TimeSpan.FromSeconds(30)).TotalMilliseconds });

    /// <summary>The indicator shows the round trip the server measured from its heartbeats (every second here).</summary>
    private static async Task WaitForQualityAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=connection]').dataset.quality");
        Assert.Matches(@"^· \d+ ms round trip \((good|fair|poor)\)$", await page.InnerTextAsync("#connection-quality"));
    }
}
