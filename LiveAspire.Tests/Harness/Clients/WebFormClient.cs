using System.Text.RegularExpressions;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>
/// The site as a browser without JavaScript uses it, from a client address of the test's choosing: cookies kept,
/// Blazor's static forms posted with their antiforgery token and handler name, the page's <c>csrf-token</c> read for
/// the script endpoints. For what a real browser cannot do (send a foreign <c>Origin</c>, come from another address).
/// </summary>
public sealed partial class WebFormClient : IDisposable
{
    public WebFormClient(Uri web, string clientAddress = "127.0.0.1")
    {
        var handler = ClientAddress.Handler(clientAddress);
        handler.CookieContainer = Cookies;
        handler.UseCookies = true;
        handler.AllowAutoRedirect = true;
        Http = new HttpClient(handler) { BaseAddress = web, Timeout = TimeSpan.FromSeconds(30) };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}");
        return html;
    }

    /// <summary>Loads <paramref name="path"/> and posts its form <paramref name="formName"/> with <paramref name="fields"/>; returns the page answered (redirects followed).</summary>
    public async Task<(HttpStatusCode Status, string Html, Uri? Url)> SubmitAsync(string path, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var page = await GetPageAsync(path);
        var form = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = FormToken().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"{path} has no antiforgery field"),
        };
        using var response = await Http.PostAsync(path, new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.RequestMessage?.RequestUri);
    }

    /// <summary>
    /// Posts a plain form of the page at <paramref name="from"/> (one not handled by Blazor, e.g. the header's sign-out
    /// forms) to <paramref name="action"/> with that page's antiforgery field.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Html, Uri? Url)> PostFormAsync(string from, string action)
    {
        var page = await GetPageAsync(from);
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = FormToken().Match(page) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException($"{from} has no antiforgery field"),
        };
        using var response = await Http.PostAsync(action, new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.RequestMessage?.RequestUri);
    }

    public Task<(HttpStatusCode Status, string Html, Uri? Url)> SignInAsync(string login, string password)
        => SubmitAsync("/signin", "signin", new Dictionary<string, string> { ["Input.Login"] = login, ["Input.Password"] = password });

    /// <summary>The antiforgery request token a page renders for its scripts (<c>&lt;meta name="csrf-token"&gt;</c>).</summary>
    public static string CsrfToken(string html)
        => MetaToken().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("the page has no csrf-token meta");

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("""name="__RequestVerificationToken" value="([^"]+)""")]
    private static partial Regex FormToken();

    [GeneratedRegex("""<meta name="csrf-token" content="([^"]*)""")]
    private static partial Regex MetaToken();
}
