using System.Net.Http.Headers;
using LiveAspire.Api.Seeding;
using LiveAspire.Rooms;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Web;

/// <summary>
/// The chat panel in Chromium against the running system (docs/web.md, "The chat panel"): two signed-in viewers on a
/// stream page, messages rendered from the server's fragments in both, markup shown as text, replies, a guest who can
/// only read, the pop-out view, and a Realtime replica killed under one of them with no message missing or doubled.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ChatPanelTests(AppHostFixture system, ITestOutputHelper output)
{
    private string Web => system.Endpoint("web").ToString().TrimEnd('/');

    [Fact]
    public async Task TwoViewersSeeEmotesMentionsLinksAndRepliesRenderedAndMarkupAsText()
    {
        var channel = await StreamChannels.CreateAsync(system, $"Chat {Guid.NewGuid():N}"[..16]);
        var emote = await UploadEmoteAsync(channel);
        var users = await SystemTokens.NewSeededUsersAsync(system, 2);
        var (alice, bob) = (users[0], users[1]);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var aliceContext = await PageChecks.NewContextAsync(browser);
        await using var bobContext = await PageChecks.NewContextAsync(browser);
        var a = await aliceContext.NewPageAsync();
        var b = await bobContext.NewPageAsync();
        var dialogs = 0;
        a.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        b.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };
        try
        {
            await SignInAsync(a, alice, $"/c/{channel.Slug}");
            await SignInAsync(b, bob, $"/c/{channel.Slug}");
            await WaitForChatAsync(a);
            await WaitForChatAsync(b);

            // Alice: an emote, a mention of Bob, a link.
            await SendAsync(a, $"hello {emote} @{bob.Username} see https://example.com/docs?x=1");
            var fromAlice = b.Locator("[data-testid=chat-log] li.chat-message").Last;
            await Assertions.Expect(fromAlice).ToContainTextAsync("hello");
            foreach (var page in new[] { a, b })
            {
                var message = page.Locator("[data-testid=chat-log] li.chat-message").Last;
                await Assertions.Expect(message.Locator("img.emote")).ToHaveAttributeAsync("alt", emote);
                // Loaded, or still loading: then wait for its load or error (a message is shown before its image arrives).
                Assert.True(await message.Locator("img.emote").EvaluateAsync<bool>("""
                    img => img.complete && img.naturalWidth > 0 ? true : new Promise(done => {
                      img.addEventListener('load', () => done(img.naturalWidth > 0));
                      img.addEventListener('error', () => done(false));
                      if (img.complete) done(img.naturalWidth > 0);
                    })
                    """), "the emote image did not load");
                await Assertions.Expect(message.Locator(".mention")).ToHaveTextAsync($"@{bob.Username}");
                var link = message.Locator("a");
                await Assertions.Expect(link).ToHaveAttributeAsync("href", "https://example.com/docs?x=1");
                await Assertions.Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer nofollow ugc");
                await Assertions.Expect(message.Locator(".chat-name")).ToHaveTextAsync(alice.Username);
            }
            // Only Bob's copy highlights the mention as his.
            await Assertions.Expect(fromAlice).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mentions-me"));
            Assert.Equal(1, await b.Locator(".mention.me").CountAsync());
            Assert.Equal(0, await a.Locator(".mention.me").CountAsync());
            await PageChecks.AssertAsync(b, "chat-rendered");

            // Bob replies to it; the markup in his text stays text, and no script runs.
            await fromAlice.Locator(".chat-reply").ClickAsync();
            await Assertions.Expect(b.Locator("[data-testid=chat-replying]")).ToContainTextAsync($"Replying to @{alice.Username}");
            const string payload = "<img src=x onerror=alert(1)><script>alert(2)</script> <b>bold</b>";
            await SendAsync(b, payload);
            foreach (var page in new[] { a, b })
            {
                var reply = page.Locator("[data-testid=chat-log] li.chat-message").Last;
                await Assertions.Expect(reply.Locator(".chat-body")).ToHaveTextAsync(payload);
                Assert.Equal(0, await reply.Locator(".chat-body img, .chat-body script, .chat-body b").CountAsync());
                await Assertions.Expect(reply.Locator("[data-testid=chat-quote]")).ToContainTextAsync($"@{alice.Username}: hello {emote}");
            }
            Assert.Equal(0, dialogs);
            Assert.Equal(0, await a.EvaluateAsync<int>("() => document.querySelectorAll('script:not([src])').length"));

            // A refusal in words: the same text again within 30 s.
            await a.FillAsync("#chat-input", $"hello {emote} @{bob.Username} see https://example.com/docs?x=1");
            await a.ClickAsync("[data-testid=chat-send]");
            await Assertions.Expect(a.Locator("[data-testid=chat-error]")).ToContainTextAsync("You just sent that");
            await PageChecks.AssertAsync(a, "chat-refused");

            // Both see the same messages in the same order, once each.
            var idsA = await a.EvaluateAsync<string[]>("() => window.streamPage.chat.ids");
            var idsB = await b.EvaluateAsync<string[]>("() => window.streamPage.chat.ids");
            Assert.Equal(2, idsA.Length);
            Assert.Equal(idsA, idsB);

            // The pop-out view: the same chat, history included, and it sends too.
            var popout = await aliceContext.NewPageAsync();
            await popout.GotoAsync($"{Web}/c/{channel.Slug}/chat");
            await WaitForChatAsync(popout);
            await Assertions.Expect(popout.Locator("[data-testid=chat-log] li.chat-message")).ToHaveCountAsync(2);
            await SendAsync(popout, "from the pop-out 🎉");
            await Assertions.Expect(b.Locator("[data-testid=chat-log] li.chat-message").Last).ToContainTextAsync("from the pop-out");
            await Assertions.Expect(b.Locator("[data-testid=chat-log] li.chat-message").Last.Locator(".emoji")).ToHaveTextAsync("🎉");
            await PageChecks.AssertAsync(popout, "chat-popout");

            // A guest reads the chat (history first) and is asked to sign in to write.
            await using var guestContext = await PageChecks.NewContextAsync(browser);
            var guest = await guestContext.NewPageAsync();
            await guest.GotoAsync($"{Web}/c/{channel.Slug}");
            await WaitForChatAsync(guest);
            await Assertions.Expect(guest.Locator("[data-testid=chat-log] li.chat-message")).ToHaveCountAsync(3);
            await Assertions.Expect(guest.Locator("[data-testid=chat-signin]")).ToContainTextAsync("Sign in to chat");
            Assert.Equal(0, await guest.Locator("[data-testid=chat-form]").CountAsync());
            await PageChecks.AssertAsync(guest, "chat-guest");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(a, output, "chat-alice");
            await PageChecks.ReportFailureAsync(b, output, "chat-bob");
            throw;
        }
    }

    [Fact]
    public async Task KillingTheReplicaServingOneViewerLosesAndDoublesNoMessage()
    {
        var channel = await StreamChannels.CreateAsync(system, $"Chat kill {Guid.NewGuid():N}"[..20]);
        var users = await SystemTokens.NewSeededUsersAsync(system, 2);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var viewerContext = await PageChecks.NewContextAsync(browser);
        var viewer = await viewerContext.NewPageAsync();
        SystemPart? victim = null;
        try
        {
            await SignInAsync(viewer, users[0], $"/c/{channel.Slug}");
            await WaitForChatAsync(viewer);
            victim = await ServingReplicaAsync(viewer);
            await using var sender = await ConnectElsewhereAsync(victim, users[1]);
            var sent = new List<Guid>();
            Task SendBatchAsync(int from, int to) => SendWithinBudgetAsync(sender, channel, "kill", from, to, sent);

            await SendBatchAsync(0, 3);
            await viewer.WaitForFunctionAsync("n => window.streamPage.chat.ids.length === n", 3);

            await victim.KillAsync();
            // Sent while the viewer has no connection: its resume replays them.
            await SendBatchAsync(3, 8);

            await viewer.WaitForFunctionAsync("n => window.streamPage.chat.ids.length === n", 8, new PageWaitForFunctionOptions { Timeout = 90_000 });
            var shown = await viewer.EvaluateAsync<string[]>("() => window.streamPage.chat.ids");
            Assert.Equal(sent.Select(id => id.ToString("D")), shown);
            Assert.Equal(8, await viewer.Locator("[data-testid=chat-log] li.chat-message").CountAsync());
            await PageChecks.AssertAsync(viewer, "chat-after-replica-kill");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(viewer, output, "chat-replica-kill");
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
    public async Task AResumeThatCannotRecoverReloadsTheChatFromHistory()
    {
        var channel = await StreamChannels.CreateAsync(system, $"Chat reset {Guid.NewGuid():N}"[..20]);
        var room = $"stream:{channel.Id:D}";
        var users = await SystemTokens.NewSeededUsersAsync(system, 2);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var viewerContext = await PageChecks.NewContextAsync(browser);
        var viewer = await viewerContext.NewPageAsync();
        await using var rooms = await TestRooms.ConnectAsync(system.ConnectionString("redis"));
        SystemPart? victim = null;
        try
        {
            await SignInAsync(viewer, users[0], $"/c/{channel.Slug}");
            await WaitForChatAsync(viewer);
            victim = await ServingReplicaAsync(viewer);
            await using var sender = await ConnectElsewhereAsync(victim, users[1]);
            var sent = new List<Guid>();

            await SendWithinBudgetAsync(sender, channel, "reset", 0, 3, sent);
            await viewer.WaitForFunctionAsync("n => window.streamPage.chat.ids.length === n", 3);
            var loads = await viewer.EvaluateAsync<int>("() => window.streamPage.chat.loads");

            // The viewer loses its connection, and the room its state (as when Redis restarts empty): the messages
            // sent meanwhile start a new epoch, which the viewer's position cannot resume (recovered:false).
            await victim.KillAsync();
            await rooms.Redis.GetDatabase().KeyDeleteAsync([RoomKeys.Meta(room), RoomKeys.Events(room), RoomKeys.Ids(room), RoomKeys.IdOrder(room)]);
            await SendWithinBudgetAsync(sender, channel, "reset", 3, 8, sent);

            // The panel reads the chat again from history: every message once, in order, none missing.
            await viewer.WaitForFunctionAsync("n => window.streamPage.chat.loads > n", loads, new PageWaitForFunctionOptions { Timeout = 90_000 });
            await viewer.WaitForFunctionAsync("n => window.streamPage.chat.ids.length === n", 8);
            await viewer.WaitForFunctionAsync("() => document.querySelector('[data-testid=connection]').dataset.state === 'reset'");
            Assert.Equal(sent.Select(id => id.ToString("D")), await viewer.EvaluateAsync<string[]>("() => window.streamPage.chat.ids"));
            Assert.Equal(8, await viewer.Locator("[data-testid=chat-log] li.chat-message").CountAsync());
            await PageChecks.AssertAsync(viewer, "chat-after-reset");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(viewer, output, "chat-reset");
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
    public async Task SendWaitsOutARateLimitInWordsAndADuplicateRefusesOnlyThatText()
    {
        var channel = await StreamChannels.CreateAsync(system, $"Chat wait {Guid.NewGuid():N}"[..20]);
        var user = (await SystemTokens.NewSeededUsersAsync(system))[0];
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, PageChecks.Timeout);
        await using var context = await PageChecks.NewContextAsync(browser);
        var page = await context.NewPageAsync();
        try
        {
            await SignInAsync(page, user, $"/c/{channel.Slug}");
            await WaitForChatAsync(page);
            var send = page.Locator("[data-testid=chat-send]");
            var error = page.Locator("[data-testid=chat-error]");

            // Faster than 1 a second: the burst (5) runs out and the next is refused with its wait.
            string? refused = null;
            for (var i = 0; i < 12 && refused is null; i++)
            {
                var counts = await page.EvaluateAsync<int[]>("() => [window.streamPage.chat.sends.length, window.streamPage.chat.errors.length]");
                var (sends, errors) = (counts[0], counts[1]);
                var text = $"quick {i}";
                await page.FillAsync("#chat-input", text);
                await page.PressAsync("#chat-input", "Enter");
                await page.WaitForFunctionAsync("([s, e]) => window.streamPage.chat.sends.length > s || window.streamPage.chat.errors.length > e",
                    new[] { sends, errors });
                if (await page.EvaluateAsync<int>("() => window.streamPage.chat.errors.length") > errors)
                {
                    refused = text;
                }
            }
            Assert.NotNull(refused);
            await Assertions.Expect(error).ToContainTextAsync("You are sending messages too fast. Try again in");
            await Assertions.Expect(send).ToBeDisabledAsync();
            Assert.Equal(refused, await page.InputValueAsync("#chat-input")); // kept, to send when allowed

            // The wait passes: the words go, Send comes back, and the kept message goes out.
            await Assertions.Expect(send).ToBeEnabledAsync(new() { Timeout = 10_000 });
            await Assertions.Expect(error).ToHaveTextAsync("");
            var before = await page.EvaluateAsync<int>("() => window.streamPage.chat.sends.length");
            await page.PressAsync("#chat-input", "Enter");
            await page.WaitForFunctionAsync("n => window.streamPage.chat.sends.length > n", before);
            await Assertions.Expect(page.Locator("[data-testid=chat-log] li.chat-message").Last).ToContainTextAsync(refused!);

            // The same text again is refused, but only that text: something new goes at once.
            await Assertions.Expect(send).ToBeEnabledAsync(new() { Timeout = 10_000 });
            await page.FillAsync("#chat-input", refused!);
            await page.PressAsync("#chat-input", "Enter");
            await Assertions.Expect(error).ToContainTextAsync("You just sent that");
            await Assertions.Expect(send).ToBeEnabledAsync();
            await Eventually.UntilAsync(async () =>
            {
                // Within the per-user budget again (1 a second) before the new text.
                var n = await page.EvaluateAsync<int>("() => window.streamPage.chat.sends.length");
                await page.FillAsync("#chat-input", "something new");
                await page.PressAsync("#chat-input", "Enter");
                return await page.EvaluateAsync<bool>("n => new Promise(r => setTimeout(() => r(window.streamPage.chat.sends.length > n), 500))", n);
            }, "a new text to be sent after a duplicate refusal", TimeSpan.FromSeconds(15));
            await Assertions.Expect(page.Locator("[data-testid=chat-log] li.chat-message").Last).ToContainTextAsync("something new");
        }
        catch
        {
            await PageChecks.ReportFailureAsync(page, output, "chat-wait");
            throw;
        }
    }

    /// <summary>The Realtime replica that serves the page's connection.</summary>
    private async Task<SystemPart> ServingReplicaAsync(IPage page)
    {
        var replica = await page.EvaluateAsync<string>("async () => (await window.streamPage.client.ping()).replica");
        return system.Parts("realtime").Single(p => p.Id == replica);
    }

    /// <summary>A hub client of <paramref name="user"/> on the replica that is not <paramref name="serving"/>, so that
    /// killing that one takes away only the page's connection.</summary>
    private Task<CollectingClient> ConnectElsewhereAsync(SystemPart serving, SeededUser user)
    {
        var other = Enumerable.Range(0, 2).Single(i => system.Part("realtime", i).Id != serving.Id);
        return LiveClients.ConnectAsync(system.Replica("realtime", other), () => user.AccessToken);
    }

    /// <summary>Sends "message {from}" to "message {to - 1}", waiting out each limit's retry-after (the per-user
    /// budget), and adds their ids to <paramref name="sent"/> in order.</summary>
    private static async Task SendWithinBudgetAsync(CollectingClient sender, StreamChannel channel, string prefix, int from, int to, List<Guid> sent)
    {
        for (var i = from; i < to; i++)
        {
            while (true)
            {
                try
                {
                    sent.Add((await sender.Client.SendChatAsync(channel.Id.ToString("D"), $"message {i}", $"{prefix}-{i}")).MessageId);
                    break;
                }
                catch (LiveAspire.Client.LiveHubInvocationException e) when (e.RetryAfterMs is { } wait)
                {
                    await Task.Delay(wait);
                }
            }
        }
    }

    private static async Task WaitForChatAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=connection]')?.dataset.state === 'connected'");
        await page.WaitForFunctionAsync("() => (window.streamPage?.chat?.loads ?? 0) > 0");
    }

    private static async Task SendAsync(IPage page, string text)
    {
        var before = await page.EvaluateAsync<int>("() => window.streamPage.chat.sends.length");
        await page.FillAsync("#chat-input", text);
        await page.PressAsync("#chat-input", "Enter");
        await page.WaitForFunctionAsync("n => window.streamPage.chat.sends.length > n", before);
        Assert.Equal("", await page.InputValueAsync("#chat-input"));
    }

    /// <summary>Uploads a channel emote as its performer; returns its code.</summary>
    private async Task<string> UploadEmoteAsync(StreamChannel channel)
    {
        var code = ChannelWorld.NewEmoteCode();
        using var api = system.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", channel.OwnerToken);
        using var response = await api.PostAsync($"/api/channels/{channel.Id:D}/emotes?code={code}", ChannelWorld.Image(LiveAspire.Demo.DemoEmoteImage.Png(0x9B5CFF)));
        Assert.True(response.IsSuccessStatusCode, $"emote upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return code;
    }

    private async Task SignInAsync(IPage page, SeededUser user, string returnUrl)
    {
        await page.GotoAsync($"{Web}/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.FillAsync("#login", user.Username);
        await page.FillAsync("#password", UserSeeder.DefaultPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(Web + returnUrl);
    }
}
