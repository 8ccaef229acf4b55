using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Api.Accounts;

[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(ApiFixture api)
{
    /// <summary>
    /// A client whose connections come from another loopback address (all of 127/8 is loopback on Linux), so the
    /// limiter sees a different client IP and this test does not spend the budget the other tests use. Each test
    /// takes addresses of its own.
    /// </summary>
    private HttpClient ClientFrom(string address) => new(ClientAddress.Handler(address)) { BaseAddress = api.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Sends invalid bodies (cheap for the server: no hashing, no query, and counted like any other attempt) from
    /// <paramref name="address"/> until one is refused; checks the refusal and that another address is not refused.
    /// Below the limit every answer is <paramref name="unlimited"/> (400 for the invalid body by default).
    /// </summary>
    private async Task AssertLimitedPerClientAddressAsync(string address, string path, TimeSpan window, HttpStatusCode unlimited = HttpStatusCode.BadRequest)
    {
        using var limited = ClientFrom(address);
        HttpResponseMessage? rejected = null;
        for (var i = 0; i <= 2 * ApiFixture.RateLimitPermits && rejected is null; i++)
        {
            var response = await limited.PostAsync(path, new { });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                rejected = response;
            }
            else
            {
                Assert.Equal(unlimited, response.StatusCode);
                response.Dispose();
            }
        }
        using var other = api.CreateClient();
        using var otherAddress = await other.PostAsync(path, new { });

        Assert.True(rejected is not null, $"{path}: no 429 within {2 * ApiFixture.RateLimitPermits} requests");
        using (rejected)
        {
            await rejected.AssertProblemAsync(HttpStatusCode.TooManyRequests, ApiErrorCodes.RateLimited);
            AssertRetryAfterWithin(rejected, window);
        }
        Assert.Equal(unlimited, otherAddress.StatusCode);
    }

    private static void AssertRetryAfterWithin(HttpResponseMessage rejected, TimeSpan window)
    {
        Assert.True(rejected.Headers.RetryAfter?.Delta is not null, "the 429 has no Retry-After in seconds");
        Assert.InRange(rejected.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), window);
    }

    [Fact]
    public Task LoginRateLimitAnswers429WithRetryAfterPerClientAddress()
        => AssertLimitedPerClientAddressAsync("127.0.0.2", "/api/auth/login", TimeSpan.FromMinutes(1));

    [Fact]
    public Task RefreshRateLimitAnswers429WithRetryAfterPerClientAddress()
        => AssertLimitedPerClientAddressAsync("127.0.0.3", "/api/auth/refresh", TimeSpan.FromMinutes(1));

    [Fact]
    public Task OverlayTokenExchangeRateLimitAnswers429WithRetryAfterPerClientAddress()
        => AssertLimitedPerClientAddressAsync("127.0.0.4", "/api/overlay/token", TimeSpan.FromMinutes(1));

    /// <summary>A channel nobody has: each request costs one lookup and answers 404, and counts all the same.</summary>
    [Fact]
    public Task GuestTokenRateLimitAnswers429WithRetryAfterPerClientAddress()
        => AssertLimitedPerClientAddressAsync("127.0.0.9", $"/api/channels/{Guid.NewGuid()}/guest-token", TimeSpan.FromMinutes(1), HttpStatusCode.NotFound);

    [Fact]
    public Task PasswordResetRateLimitAnswers429WithRetryAfterPerClientAddress()
        => AssertLimitedPerClientAddressAsync("127.0.0.5", "/api/auth/password-reset", TimeSpan.FromMinutes(1)); // ApiFixture's window

    /// <summary>
    /// 25 requests for one address, from two client addresses in turn: the account's budget (3 an hour by default)
    /// is spent across both, the rest are 429 with Retry-After, and only the admitted ones send a mail. An unknown
    /// address answers the very same sequence, so the limit tells nobody who is registered.
    /// </summary>
    [Fact]
    public async Task PasswordResetIsLimitedPerAccountAcrossClientAddressesAlikeForKnownAndUnknownAddresses()
    {
        using var http = api.CreateClient();
        var (account, _, _) = await http.NewSessionAsync();
        var unknown = TestAccount.New().Email;
        using var first = ClientFrom("127.0.0.6");
        using var second = ClientFrom("127.0.0.7");

        var known = await RequestResetsAsync(account.Email, first, second);
        var nobody = await RequestResetsAsync(unknown, first, second);
        var mail = await http.GetFromJsonAsync<List<DevMailMessage>>($"/api/dev/mail?to={Uri.EscapeDataString(account.Email)}");

        const int budget = 3; // RateLimitOptions.PasswordResetPerAccount's default, which ApiFixture keeps
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Accepted, budget), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 25 - budget)],
            known.Select(r => r.StatusCode));
        Assert.Equal(known.Select(r => r.StatusCode), nobody.Select(r => r.StatusCode));
        foreach (var rejected in known.Concat(nobody).Where(r => r.StatusCode == HttpStatusCode.TooManyRequests))
        {
            await rejected.AssertProblemAsync(HttpStatusCode.TooManyRequests, ApiErrorCodes.RateLimited);
            AssertRetryAfterWithin(rejected, TimeSpan.FromHours(1));
        }
        Assert.Equal(budget, mail!.Count(m => m.Subject.Contains("Reset", StringComparison.Ordinal)));
        foreach (var response in known.Concat(nobody))
        {
            response.Dispose();
        }
    }

    private static async Task<List<HttpResponseMessage>> RequestResetsAsync(string email, HttpClient first, HttpClient second)
    {
        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 25; i++)
        {
            // The address as a user might type it: the budget is the normalised address's.
            var asTyped = i % 3 == 0 ? email.ToUpperInvariant() : email;
            responses.Add(await (i % 2 == 0 ? first : second).PostAsync("/api/auth/password-reset", new { email = asTyped }));
        }
        return responses;
    }
}
