using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Web;

/// <summary>
/// Web's script endpoints refuse other sites, against the running system: <c>/session/token</c> and
/// <c>/session/follows</c> answer only a request that carries a page's antiforgery token and comes from the site's
/// own origin, whoever holds the session cookie. Posted as a browser without script would (<see cref="WebFormClient"/>),
/// since a browser's script cannot set <c>Origin</c>.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class WebCrossSiteTests(AppHostFixture system)
{
    [Fact]
    public async Task TheTokenEndpointAnswersOnlyTheSitesOwnPagesWithTheirToken()
    {
        var account = TestAccount.New("xs");
        // From an address of its own: 127.0.0.1's registration budget (5 per 10 minutes) is the browsers'.
        using (var api = new HttpClient(ClientAddress.Handler("127.0.0.53")) { BaseAddress = system.Part("api").Url, Timeout = TimeSpan.FromSeconds(30) })
        {
            await api.RegisterAsync(account);
        }
        var web = system.Endpoint("web");
        using var browser = new WebFormClient(web, "127.0.0.51");
        var signedIn = await browser.SignInAsync(account.Username, account.Password);
        Assert.Contains($">{account.Username}</span>", signedIn.Html, StringComparison.Ordinal);
        var csrf = WebFormClient.CsrfToken(await browser.GetPageAsync("/"));
        var origin = web.GetLeftPart(UriPartial.Authority);

        using var own = await PostTokenAsync(browser, csrf, origin);
        using var noToken = await PostTokenAsync(browser, csrfToken: null, origin);
        using var wrongToken = await PostTokenAsync(browser, "CfDJ8-not-a-token", origin);
        using var foreign = await PostTokenAsync(browser, csrf, "http://evil.example");
        using var foreignFetch = await PostTokenAsync(browser, csrf, origin, fetchSite: "cross-site");
        using var siblingFetch = await PostTokenAsync(browser, csrf, origin, fetchSite: "same-site");
        // What Chromium sends with the site's own form posts under Referrer-Policy: no-referrer: the token decides.
        using var nullOrigin = await PostTokenAsync(browser, csrf, "null", fetchSite: "same-origin");
        using var nullOriginNoToken = await PostTokenAsync(browser, csrfToken: null, "null", fetchSite: "same-origin");
        using var followForeign = await SendAsync(browser, HttpMethod.Post, $"/session/follows/{Guid.NewGuid()}", csrf, "http://evil.example");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nullOrigin.StatusCode);
        Assert.Equal("no-store", own.Headers.CacheControl?.ToString());
        var token = await own.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, token.GetProperty("accessToken").GetString()!.Split('.').Length);
        Assert.True(token.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        // A real user token: Api knows who it is.
        using (var api = system.CreateHttpClient("api"))
        using (var me = await api.GetMeAsync(token.GetProperty("accessToken").GetString()!))
        {
            Assert.Equal(account.Username, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("username").GetString());
        }
        foreach (var refused in new[] { noToken, wrongToken, foreign, foreignFetch, siblingFetch, nullOriginNoToken, followForeign })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(WebErrorCodes.CrossSiteRefused, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task WithoutASessionTheTokenEndpointAnswersUnauthenticated()
    {
        var web = system.Endpoint("web");
        using var browser = new WebFormClient(web, "127.0.0.52");
        var csrf = WebFormClient.CsrfToken(await browser.GetPageAsync("/"));

        using var response = await PostTokenAsync(browser, csrf, web.GetLeftPart(UriPartial.Authority));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(ApiErrorCodes.Unauthenticated, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static Task<HttpResponseMessage> PostTokenAsync(WebFormClient browser, string? csrfToken, string origin, string? fetchSite = null)
        => SendAsync(browser, HttpMethod.Post, "/session/token", csrfToken, origin, fetchSite);

    private static Task<HttpResponseMessage> SendAsync(WebFormClient browser, HttpMethod method, string path, string? csrfToken, string origin, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (csrfToken is not null)
        {
            request.Headers.Add("X-CSRF-TOKEN", csrfToken);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
        return browser.Http.SendAsync(request);
    }
}
