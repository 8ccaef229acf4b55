using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Api.Accounts;

[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(ApiFixture api)
{
    /// <summary>
    /// A client whose connections come from another loopback address (all of 127/8 is loopback on Linux), so the
    /// limiter sees a different client IP and this test does not spend the budget the other tests use.
    /// </summary>
    private HttpClient ClientFrom(string address) => new(ClientAddress.Handler(address)) { BaseAddress = api.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task LoginRateLimitAnswers429WithRetryAfterPerClientAddress()
    {
        using var limited = ClientFrom("127.0.0.2");
        HttpResponseMessage? rejected = null;
        // Invalid bodies: cheap for the server (no password hashing), and counted like any other attempt.
        for (var i = 0; i <= 2 * ApiFixture.RateLimitPermits && rejected is null; i++)
        {
            var response = await limited.PostAsync("/api/auth/login", new { });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                rejected = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                response.Dispose();
            }
        }
        using var other = api.CreateClient();
        using var otherAddress = await other.PostAsync("/api/auth/login", new { });

        Assert.NotNull(rejected);
        using (rejected)
        {
            await rejected.AssertProblemAsync(HttpStatusCode.TooManyRequests, ApiErrorCodes.RateLimited);
            Assert.NotNull(rejected.Headers.RetryAfter?.Delta);
            Assert.InRange(rejected.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        }
        Assert.Equal(HttpStatusCode.BadRequest, otherAddress.StatusCode);
    }
}
