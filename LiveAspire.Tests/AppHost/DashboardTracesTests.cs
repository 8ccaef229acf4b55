using LiveAspire.AppHost.Reporting;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace LiveAspire.Tests.AppHost;

/// <summary>
/// What a developer sees after <c>./run.sh</c>: the AppHost started as a user starts it, the Aspire dashboard at the
/// printed login address, and on its traces page a request that crossed Api into PostgreSQL and Redis and a hub
/// invocation in Realtime. Screenshots go to <c>artifacts/screenshots/</c>.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTracesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(180);
    private static readonly float Timeout = 60_000;
    private readonly string _state = TestSystems.NewStateDirectory();
    private AppHostProcess? _host;

    [Fact]
    public async Task TheDashboardShowsAnApiRequestIntoTheStoresAndAHubInvocation()
    {
        var (start, end) = TestPorts.NextBlock();
        _host = AppHostProcess.Start("--environment", "Testing", "--state-dir", _state,
            "--port-range-start", $"{start}", "--port-range-end", $"{end}", "--dashboard-port", $"{end - 3}");
        var addresses = await EndpointsAsync();
        Uri Address(string name) => new(addresses.Resources.Single(r => r.Name == name).Url!.Replace("localhost", "127.0.0.1", StringComparison.Ordinal));

        // Api → PostgreSQL and Redis: log in as the first admin, then end every session (a session version bumped in
        // PostgreSQL, a revocation published on Redis). A hub invocation on Realtime in between.
        using var api = new HttpClient { BaseAddress = Address("api"), Timeout = TimeSpan.FromSeconds(30) };
        var password = (await File.ReadAllTextAsync(Path.Combine(_state, "secrets", "initial-admin-password"))).Trim();
        var tokens = await api.LoginAsync("admin", password);
        await using (var hub = await LiveClients.ConnectAsync(Address("realtime"), () => tokens.AccessToken))
        {
            await hub.Client.JoinStreamAsync(Guid.NewGuid().ToString("D")).WaitAsync(Deadline);
        }
        using (var logoutAll = await api.PostAsync("/api/auth/logout-all", new { }, tokens.AccessToken))
        {
            logoutAll.EnsureSuccessStatusCode();
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchAsync(playwright, Timeout);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        await page.GotoAsync(addresses.Dashboard!, new PageGotoOptions { Timeout = Timeout });
        var dashboard = new Uri(addresses.Dashboard!).GetLeftPart(UriPartial.Authority);

        // The dashboard is a Blazor app: wait for the rows it renders, reloading while telemetry is still arriving.
        await Eventually.UntilAsync(async () =>
        {
            await page.GotoAsync($"{dashboard}/traces", new PageGotoOptions { Timeout = Timeout });
            var text = await page.InnerTextAsync("body", new PageInnerTextOptions { Timeout = Timeout });
            return text.Contains("logout-all", StringComparison.Ordinal) && text.Contains("JoinStream", StringComparison.Ordinal);
        }, "the Api request and the hub invocation on the traces page", Deadline);
        // The grid renders its rows after the data: both traces as visible rows, not placeholders.
        await page.GetByText("logout-all").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = Timeout });
        await page.GetByText("JoinStream").First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = Timeout });
        var traces = await ShotAsync(page, "dashboard-traces.png");

        await page.Locator("input[name=traces-search]").FillAsync("logout-all", new LocatorFillOptions { Timeout = Timeout });
        await page.GetByText("logout-all").First.ClickAsync(new LocatorClickOptions { Timeout = Timeout });
        await Eventually.UntilAsync(async () =>
        {
            var text = await page.InnerTextAsync("body", new PageInnerTextOptions { Timeout = Timeout });
            return text.Contains("postgres", StringComparison.OrdinalIgnoreCase) && text.Contains("redis", StringComparison.OrdinalIgnoreCase);
        }, "the request's spans into PostgreSQL and Redis", Deadline);
        var detail = await ShotAsync(page, "dashboard-trace-logout-all.png");
        output.WriteLine($"screenshots: {traces} {detail}");
    }

    private async Task<SystemAddresses> EndpointsAsync()
    {
        var file = Path.Combine(_state, EndpointsReport.FileName);
        await Eventually.UntilAsync(() => File.Exists(file) || _host!.HasExited, "endpoints.json (every part healthy)", Deadline);
        Assert.True(File.Exists(file), $"the AppHost exited: {_host!.StandardError}");
        return JsonSerializer.Deserialize<SystemAddresses>(await File.ReadAllTextAsync(file))!;
    }

    private static async Task<string> ShotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppHostProcess.RepositoryRoot, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = Timeout });
        return path;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        TestSystems.TryDelete(_state);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DashboardCollection
{
    /// <summary>Starts a whole system of its own: never beside another.</summary>
    public const string Name = "dashboard";
}
