using LiveAspire.Postgres;
using LiveAspire.Web.ApiClient;
using LiveAspire.Web.DataProtection;
using LiveAspire.Web.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace LiveAspire.Web;

public static class Extensions
{
    /// <summary>The connection Web keeps its sessions and data-protection keys on (Web's own tables in livedb).</summary>
    public const string DatabaseConnectionName = "livedb";

    /// <summary>
    /// Registers the site; throws <c>ConfigurationException</c> when <c>services:api:http:0</c>,
    /// <c>services:realtime:http:0</c>, <c>ConnectionStrings:livedb</c> or <c>ClientAddress:WebKey</c> is missing.
    /// </summary>
    public static TBuilder AddWebServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Checked here although service discovery resolves "http://api" per request: a missing reference should
        // stop the process at startup, not turn every page into "Api unreachable".
        builder.Configuration.GetRequiredServiceUri("api");
        builder.Services.AddSingleton(new BrowserEndpoints { Realtime = builder.Configuration.GetRequiredServiceUri("realtime") });

        // Static server rendering only: no AddInteractiveServerComponents (it needs blazor.web.js).
        builder.Services.AddRazorComponents();
        builder.Services.AddHttpContextAccessor();
        builder.AddWebApiClient();
        builder.AddWebSessions();
        return builder;
    }

    private static void AddWebApiClient(this IHostApplicationBuilder builder)
    {
        var clientAddress = builder.Configuration.GetSection(ClientAddressOptions.SectionName);
        if (string.IsNullOrWhiteSpace(clientAddress[nameof(ClientAddressOptions.WebKey)]))
        {
            throw new ConfigurationException($"{ClientAddressOptions.SectionName}:{nameof(ClientAddressOptions.WebKey)}", "is missing");
        }
        builder.Services.Configure<ClientAddressOptions>(clientAddress);
        builder.Services.AddTransient<ClientAddressHandler>();
        builder.Services.AddHttpClient<LiveApiClient>(client =>
        {
            client.BaseAddress = new Uri("http://api");
            // A page render waits for these calls; better a quick "Api unreachable" than a hung page.
            client.Timeout = TimeSpan.FromSeconds(5);
        }).AddHttpMessageHandler<ClientAddressHandler>();
    }

    /// <summary>
    /// Server-side sessions (docs/web.md): PostgreSQL through Aspire's Npgsql client (one pool, its health check and
    /// traces), the data-protection key ring in the same database, the session cookie, store and token refresher,
    /// and the antiforgery header the page's scripts use.
    /// </summary>
    private static void AddWebSessions(this IHostApplicationBuilder builder)
    {
        builder.AddLiveAspireNpgsqlDataSource(DatabaseConnectionName);

        // One key for every replica, created by whichever comes first. First of all hosted services: they start in
        // order, and data protection's own (registered earlier by antiforgery and Razor components) loads the ring at
        // start-up, generating a key of its own when it finds none.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, KeyRingBootstrap>());
        // One application name for every replica: the key ring is shared, and so is what it protects.
        builder.Services.AddDataProtection().SetApplicationName("LiveAspire.Web");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource>((options, database) => options.XmlRepository = new PostgresXmlRepository(database));

        builder.Services.Configure<WebSessionOptions>(builder.Configuration.GetSection(WebSessionOptions.SectionName));
        builder.Services.AddAntiforgery(options =>
        {
            options.HeaderName = CrossSiteGuard.HeaderName;
            // Every page renders a token; antiforgery would add X-Frame-Options: SAMEORIGIN to each, including the
            // overlay's embeddable pages. Framing is the security headers' decision (WebSecurityHeaders).
            options.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SessionCookie>();
        builder.Services.AddSingleton<SessionStore>();
        // PostgreSQL stopped or restarting: 503 in words (or JSON to a script) rather than 500 (docs/web.md).
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddScoped<SessionTokens>();
        builder.Services.AddScoped<CurrentSession>();
        builder.Services.AddSingleton<CrossSiteGuard>();
        builder.Services.AddScoped<LiveAspire.Web.Components.Account.DevMailbox>();
    }
}
