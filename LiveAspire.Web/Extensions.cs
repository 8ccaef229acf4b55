using LiveAspire.Web.ApiClient;

namespace LiveAspire.Web;

public static class Extensions
{
    /// <summary>
    /// Registers the site; throws <c>ConfigurationException</c> when <c>services:api:http:0</c> or
    /// <c>services:realtime:http:0</c> is missing.
    /// </summary>
    public static TBuilder AddWebServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Checked here although service discovery resolves "http://api" per request: a missing reference should
        // stop the process at startup, not turn every page into "Api unreachable".
        builder.Configuration.GetRequiredServiceUri("api");
        builder.Services.AddSingleton(new BrowserEndpoints { Realtime = builder.Configuration.GetRequiredServiceUri("realtime") });

        // Static server rendering only: no AddInteractiveServerComponents (it needs blazor.web.js).
        builder.Services.AddRazorComponents();
        builder.Services.AddHttpClient<LiveApiClient>(client =>
        {
            client.BaseAddress = new Uri("http://api");
            // A page render waits for these calls; better a quick "Api unreachable" than a hung page.
            client.Timeout = TimeSpan.FromSeconds(5);
        });
        return builder;
    }
}
