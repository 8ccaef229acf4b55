using Microsoft.Playwright;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>The machine's Chromium, headless, as every browser test launches it.</summary>
public static class TestBrowser
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, float timeoutMilliseconds)
        => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            Timeout = timeoutMilliseconds,
        });
}
