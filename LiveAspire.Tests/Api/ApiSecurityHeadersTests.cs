using LiveAspire.Api.Http;

namespace LiveAspire.Tests.Api;

/// <summary>Api answers JSON only: every answer, success, error or document, forbids loading and framing anything.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiSecurityHeadersTests(ApiFixture api)
{
    [Fact]
    public async Task EveryKindOfAnswerCarriesTheStrictPolicyAndTheOtherSecurityHeaders()
    {
        using var http = api.CreateClient();
        using var limited = new HttpClient(ClientAddress.Handler("127.0.0.8")) { BaseAddress = api.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
        var responses = new List<HttpResponseMessage>
        {
            await http.GetAsync("/api/platform"),
            await http.GetAsync("/openapi/v1.json"),
            await http.GetAsync("/health"),
            await http.GetAsync("/api/no-such-endpoint"),
            await http.GetAsync("/api/me"),
            await http.PostAsync("/api/auth/login", new { }),
        };
        // A 429 from the rate limiter: written by its own rejection handler.
        HttpResponseMessage response;
        do
        {
            response = await limited.PostAsync("/api/auth/register", new { });
            responses.Add(response);
        }
        while (response.StatusCode != HttpStatusCode.TooManyRequests && responses.Count < 2 * ApiFixture.RateLimitPermits + 10);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest],
            responses.Take(6).Select(r => r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, responses[^1].StatusCode);
        foreach (var each in responses)
        {
            each.AssertSecurityHeaders(ApiSecurityHeaders.ContentSecurityPolicy);
            each.Dispose();
        }
        Assert.Equal("default-src 'none'", ApiSecurityHeaders.ContentSecurityPolicy);
    }
}
