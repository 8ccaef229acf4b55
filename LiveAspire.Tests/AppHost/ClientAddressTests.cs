using LiveAspire.Api.Accounts;
using LiveAspire.Contracts.Errors;
using LiveAspire.Contracts.Http;

namespace LiveAspire.Tests.AppHost;

/// <summary>
/// The browser's address that Web forwards to Api (docs/accounts.md, "Client address from Web"), against the running
/// system: Api counts a request against the forwarded address only when the request carries Web's key
/// (<c>web-client-address-key</c>), never when any other caller names an address; and Web forwards each browser's own
/// address, so one browser running out of sign-in attempts leaves another's alone. Each test uses client addresses
/// of its own (127.0.0.0/8), so other tests' attempts do not count in them.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ClientAddressTests(AppHostFixture system)
{
    private static readonly int Limit = new RateLimitOptions().Login.PermitLimit; // the AppHost keeps Api's default

    [Fact]
    public async Task ApiCountsLoginAttemptsAgainstTheAddressWebForwardsWithItsKey()
    {
        var key = system.Parameter("web-client-address-key");
        Assert.False(string.IsNullOrEmpty(key));
        using var api = ApiFrom("127.0.0.61");

        // One peer naming a new browser each time, with the key: each attempt is a different client's.
        var spread = await AttemptsAsync(api, Limit + 1, i => $"198.51.100.{i + 1}", key);
        // The same browser every time, with the key: its own budget runs out.
        var single = await AttemptsAsync(api, Limit + 1, _ => "198.51.100.200", key);

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, spread);
        Assert.Equal(HttpStatusCode.TooManyRequests, single[^1]);
        Assert.Equal(Limit, single.Count(s => s == HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task ACallerWithoutWebsKeyCannotPickTheAddressItIsCountedAgainst()
    {
        using var api = ApiFrom("127.0.0.62");

        // Half the attempts without a key, half with a wrong one, each naming another browser: all are the peer's.
        var spoofed = await AttemptsAsync(api, Limit + 1, i => $"203.0.113.{i + 1}", i => i % 2 == 0 ? null : "not-the-key");

        Assert.Equal(HttpStatusCode.TooManyRequests, spoofed[^1]);
        Assert.Equal(Limit, spoofed.Count(s => s == HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task WebForwardsEachBrowsersOwnAddressSoOneBrowsersFailedSignInsDoNotLockOutAnother()
    {
        // A replica's own address: Aspire's proxy in front of the replicas would make every browser 127.0.0.1.
        var web = system.Replica("web", 0);
        using var guesser = new WebFormClient(web, "127.0.0.63");
        using var other = new WebFormClient(web, "127.0.0.64");
        var answers = new List<string>();

        for (var i = 0; i <= Limit; i++)
        {
            answers.Add(FormError((await guesser.SignInAsync("nobody_" + Guid.NewGuid().ToString("N")[..8], "wrong-password")).Html));
        }
        var otherAnswer = FormError((await other.SignInAsync("nobody_" + Guid.NewGuid().ToString("N")[..8], "wrong-password")).Html);

        Assert.All(answers[..Limit], a => Assert.Equal("Wrong username or password.", a));
        Assert.Matches(@"^Too many attempts, try again in \d+ s\.$", answers[^1]);
        Assert.Equal("Wrong username or password.", otherAnswer);
    }

    private HttpClient ApiFrom(string peer)
        => new(ClientAddress.Handler(peer)) { BaseAddress = system.Part("api").Url, Timeout = TimeSpan.FromSeconds(30) };

    private static Task<List<HttpStatusCode>> AttemptsAsync(HttpClient api, int count, Func<int, string> forwarded, string? key)
        => AttemptsAsync(api, count, forwarded, _ => key);

    /// <summary>Login attempts with an invalid body (cheap: no password hashing; counted like any other).</summary>
    private static async Task<List<HttpStatusCode>> AttemptsAsync(HttpClient api, int count, Func<int, string> forwarded, Func<int, string?> key)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { }) };
            request.Headers.Add(ClientAddressHeaders.Address, forwarded(i));
            if (key(i) is { } value)
            {
                request.Headers.Add(ClientAddressHeaders.Key, value);
            }
            using var response = await api.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, ApiErrorCodes.RateLimited);
            }
        }
        return statuses;
    }

    /// <summary>The form-level error the sign-in page shows, as text.</summary>
    private static string FormError(string html)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, """data-testid="form-error"[^>]*>\s*<p>([^<]*)</p>""");
        Assert.True(match.Success, "the sign-in page shows no form error");
        return WebUtility.HtmlDecode(match.Groups[1].Value).Trim();
    }
}
