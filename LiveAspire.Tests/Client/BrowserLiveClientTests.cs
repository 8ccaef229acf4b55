using LiveAspire.Contracts.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Playwright;
using static LiveAspire.Tests.Harness.Systems.ScriptedHubServer;

namespace LiveAspire.Tests.Client;

/// <summary>A real Chromium: one at a time, apart from the other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}

/// <summary>
/// live-client.js (with the signalr.min.js the Web build copies from npm) in Debian's Chromium, against the scripted
/// hub: the page is served by the same test server, so the browser's WebSocket goes to the hub with an allowed origin.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserLiveClientTests
{
    private const string Page = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>live-client test</title></head><body>
        <script src="/lib/signalr/signalr.min.js"></script>
        <script type="module">
          import { createLiveClient } from '/js/live-client.js';
          window.received = [];
          window.resets = [];
          const client = createLiveClient({
            hubUrl: location.origin + '/hubs/live',
            accessTokenFactory: () => 'browser-token',
            reconnectBaseDelayMs: 50,
            reconnectMaxDelayMs: 1000,
            onEvent: (e) => window.received.push(`${e.room}:${e.seq}:${e.id}`),
            onRoomReset: (r) => window.resets.push(r),
          });
          window.liveClient = client;
          await client.start();
          await client.join(['stream:1']);
          window.ready = true;
        </script>
        </body></html>
        """;

    private static readonly float Timeout = (float)Deadline.TotalMilliseconds;

    [Fact]
    public async Task TheBrowserModuleReceivesEventsDropsDuplicatesAndResumesAfterTheConnectionDrops()
    {
        var webRoot = Path.Combine(AppHostProcess.RepositoryRoot, "LiveAspire.Web", "wwwroot");
        Assert.True(File.Exists(Path.Combine(webRoot, "lib", "signalr", "signalr.min.js")),
            "wwwroot/lib/signalr/signalr.min.js is missing: build LiveAspire.Web (it copies it from npm).");
        await using var server = await StartAsync(map: app =>
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(webRoot) });
            app.MapGet("/", () => Results.Content(Page, "text/html"));
        });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, Timeout);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(server.Address.ToString(), new PageGotoOptions { Timeout = Timeout });
        await page.WaitForFunctionAsync("() => window.ready === true", null, new PageWaitForFunctionOptions { Timeout = Timeout });

        Assert.Equal("query browser-token", Assert.Single(server.Script.UpgradeAuthorizations));
        var first = await server.ConnectionAsync(1);
        await server.PushAsync(first, Envelope("stream:1", 1), Envelope("stream:1", 2), Envelope("stream:1", 3, id: "stream:1#e1#2"));
        await server.PushAsync(first, Envelope("stream:1", 1, id: "other-1"), Envelope("stream:1", 3));
        await page.WaitForFunctionAsync("() => window.received.length >= 3", null, new PageWaitForFunctionOptions { Timeout = Timeout });
        Assert.Equal(["stream:1:1:stream:1#e1#1", "stream:1:2:stream:1#e1#2", "stream:1:3:stream:1#e1#3"],
            await page.EvaluateAsync<string[]>("() => window.received"));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.liveClient.counters.duplicatesDropped"));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.liveClient.counters.staleDropped"));

        // The replay arrives before the Resume answer; one more live event after it.
        server.Script.OnResume = async (connectionId, rooms) =>
        {
            await server.PushAsync(connectionId, Envelope("stream:1", 4));
            return rooms.ToDictionary(r => r.Key, _ => new ResumeResult(true, "e1", 4));
        };
        server.DropConnection(first);
        var second = await server.ConnectionAsync(2);
        await Eventually.UntilAsync(() => server.Script.ResumesOn(second).Any(), "the browser's Resume", Deadline);
        await server.PushAsync(second, Envelope("stream:1", 4), Envelope("stream:1", 5));
        await page.WaitForFunctionAsync("() => window.received.length >= 5", null, new PageWaitForFunctionOptions { Timeout = Timeout });

        Assert.Equal(new RoomPosition(3, "e1"), Assert.Single(server.Script.ResumesOn(second).Single())!.Value);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], (await page.EvaluateAsync<string[]>("() => window.received")).Select(r => long.Parse(r.Split(':')[2])));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.liveClient.counters.reconnects"));
        Assert.Equal("connected", await page.EvaluateAsync<string>("() => window.liveClient.state"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TheBrowserModuleKeepsARoomRefusedWithRedisUnavailableAndAsksAgainUntilItIsJoined()
    {
        var webRoot = Path.Combine(AppHostProcess.RepositoryRoot, "LiveAspire.Web", "wwwroot");
        await using var server = await StartAsync(map: app =>
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(webRoot) });
            app.MapGet("/", () => Results.Content(Page
                .Replace("reconnectBaseDelayMs: 50,", "reconnectBaseDelayMs: 50, roomRetryDelayMs: 100, onRoomRefused: (r, code) => window.refused.push(`${r}:${code}`),", StringComparison.Ordinal)
                .Replace("window.resets = [];", "window.resets = []; window.refused = [];", StringComparison.Ordinal), "text/html"));
        });
        // Redis is unavailable for the first two answers (RedisFaultTests: a join while Redis is frozen), then the
        // server joins the room.
        var answers = new System.Collections.Concurrent.ConcurrentQueue<ResumeResult>(
            [new(false, null, 0, HubErrorCodes.RedisUnavailable), new(false, null, 0, HubErrorCodes.RedisUnavailable)]);
        server.Script.OnResume = (_, rooms) => Task.FromResult(rooms.ToDictionary(r => r.Key,
            _ => answers.TryDequeue(out var answer) ? answer : new ResumeResult(true, "e1", 2)));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, Timeout);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(server.Address.ToString(), new PageGotoOptions { Timeout = Timeout });
        await page.WaitForFunctionAsync("() => window.ready === true", null, new PageWaitForFunctionOptions { Timeout = Timeout });
        var connection = await server.ConnectionAsync(1);
        await Eventually.UntilAsync(() => server.Script.ResumesOn(connection).Count() == 3,
            "the browser to ask for the room again until it is joined", Deadline);
        await server.PushAsync(connection, Envelope("stream:1", 3));
        await page.WaitForFunctionAsync("() => window.received.length >= 1", null, new PageWaitForFunctionOptions { Timeout = Timeout });

        Assert.Equal(["stream:1:3:stream:1#e1#3"], await page.EvaluateAsync<string[]>("() => window.received"));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.refused")); // retryable: not a refusal
        Assert.Equal(3, server.Script.ResumesOn(connection).Count()); // and not asked again once joined
        Assert.Empty(errors);
    }
}
