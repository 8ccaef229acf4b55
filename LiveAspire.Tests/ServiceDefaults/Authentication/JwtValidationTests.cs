using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace LiveAspire.Tests.ServiceDefaults.Authentication;

/// <summary>One Kestrel app for the class: the handler is exercised over real HTTP, as services will use it.</summary>
public sealed class JwtAppFixture : IAsyncLifetime
{
    internal TestTokens Tokens { get; } = new();

    internal TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync(
            new() { ["Auth:PublicKeyPem"] = Tokens.PublicKeyPem },
            b => b.AddLiveAspireAuthentication(),
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGet("/me", Describe).RequireAuthorization();
                app.MapGet("/hubs/live/negotiate", Describe).RequireAuthorization();
            });
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Tokens.Dispose();
    }

    private static string Describe(ClaimsPrincipal user)
        => $"{user.Identity!.Name}|{user.FindFirstValue(ClaimTypes.NameIdentifier)}|{user.FindFirstValue("sv")}|{user.FindFirstValue("role")}";
}

public sealed class JwtValidationTests(JwtAppFixture fixture) : IClassFixture<JwtAppFixture>
{
    private TestTokens Tokens => fixture.Tokens;

    [Fact]
    public async Task ValidEs256TokenIsAcceptedWithSubjectAsName()
    {
        using var response = await GetAsync("/me", Tokens.Mint("user-42"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("user-42|user-42|3|admin", await response.Content.ReadAsStringAsync().WaitAsync(TestApp.Deadline));
    }

    [Fact]
    public async Task RequestWithoutTokenIsChallenged()
        => Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/me", token: null)).StatusCode);

    [Fact]
    public async Task ExpiredTokenIsRejected()
        => await AssertRejectedAsync(Tokens.Mint(expires: DateTime.UtcNow.AddMinutes(-5)));

    [Fact]
    public async Task TokenExpiredAMinuteAgoIsRejectedBecauseClockSkewIsThirtySeconds()
        // JwtBearer's own default skew (5 minutes) would still accept it.
        => await AssertRejectedAsync(Tokens.Mint(expires: DateTime.UtcNow.AddSeconds(-60)));

    [Fact]
    public async Task TokenExpiredWithinTheClockSkewIsAccepted()
    {
        using var response = await GetAsync("/me", Tokens.Mint("user-9", expires: DateTime.UtcNow.AddSeconds(-5)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TokenFromWrongIssuerIsRejected()
        => await AssertRejectedAsync(Tokens.Mint(issuer: "someone-else"));

    [Fact]
    public async Task TokenForWrongAudienceIsRejected()
        => await AssertRejectedAsync(Tokens.Mint(audience: "other-app"));

    [Fact]
    public async Task TokenSignedWithAnotherKeyIsRejected()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await AssertRejectedAsync(Tokens.Mint(key: other));
    }

    [Fact]
    public async Task UnsignedAlgNoneTokenIsRejected()
        => await AssertRejectedAsync(TestTokens.MintUnsigned());

    [Fact]
    public async Task Hs256TokenKeyedWithThePublicKeyIsRejected()
        => await AssertRejectedAsync(Tokens.MintHs256WithPublicKey());

    [Fact]
    public async Task JwtInQueryIsIgnoredOutsideHubPath()
    {
        using var response = await fixture.App.Client.GetAsync($"/me?access_token={Tokens.Mint()}").WaitAsync(TestApp.Deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task JwtInQueryIsAcceptedOnHubPathFromABrowser()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/hubs/live/negotiate?access_token={Tokens.Mint("user-7")}");
        request.Headers.Add("Origin", "http://127.0.0.1:5000");
        using var response = await fixture.App.Client.SendAsync(request).WaitAsync(TestApp.Deadline);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("user-7|", await response.Content.ReadAsStringAsync().WaitAsync(TestApp.Deadline));
    }

    [Fact]
    public async Task JwtInQueryIsIgnoredWithoutAnOriginHeader()
    {
        // Non-browser clients can set headers; a query token from one is refused (it would end up in access logs).
        using var response = await fixture.App.Client.GetAsync($"/hubs/live/negotiate?access_token={Tokens.Mint("user-7")}").WaitAsync(TestApp.Deadline);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task AssertRejectedAsync(string token)
    {
        using var response = await GetAsync("/me", token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await fixture.App.Client.SendAsync(request).WaitAsync(TestApp.Deadline);
    }
}
