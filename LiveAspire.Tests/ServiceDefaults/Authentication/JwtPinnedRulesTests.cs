using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace LiveAspire.Tests.ServiceDefaults.Authentication;

/// <summary>
/// JwtBearer binds <c>Authentication:Schemes:Bearer</c> by itself (<c>dotnet user-jwts</c> writes such a section);
/// the token rules pinned from <c>Auth:*</c> must hold whatever that section says.
/// </summary>
public sealed class JwtPinnedRulesTests
{
    [Fact]
    public async Task ABearerSchemeSectionInConfigurationCannotLoosenTheRules()
    {
        using var tokens = new TestTokens();
        await using var app = await TestApp.StartAsync(
            new()
            {
                ["Auth:PublicKeyPem"] = tokens.PublicKeyPem,
                ["Authentication:Schemes:Bearer:ValidIssuer"] = "someone-else",
                ["Authentication:Schemes:Bearer:ValidAudiences:0"] = "other-app",
                ["Authentication:Schemes:Bearer:ClockSkew"] = "01:00:00",
            },
            b => b.AddLiveAspireAuthentication(),
            a =>
            {
                a.UseAuthentication();
                a.UseAuthorization();
                a.MapGet("/me", () => "ok").RequireAuthorization();
            });

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app, tokens.Mint()));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, tokens.Mint(issuer: "someone-else")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, tokens.Mint(audience: "other-app")));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, tokens.Mint(expires: DateTime.UtcNow.AddMinutes(-5))));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, tokens.MintHs256WithPublicKey()));
    }

    [Fact]
    public async Task WithoutAKeyAnonymousRequestsStillReachTheirEndpoints()
    {
        await using var app = await TestApp.StartAsync([],
            b => b.AddLiveAspireAuthentication(),
            a =>
            {
                a.UseAuthentication();
                a.UseAuthorization();
                a.MapGet("/open", () => "ok");
                a.MapGet("/me", () => "ok").RequireAuthorization();
            });
        using var tokens = new TestTokens();

        using var open = await app.Client.GetAsync("/open").WaitAsync(TestApp.Deadline);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(app, tokens.Mint()));
    }

    private static async Task<HttpStatusCode> StatusAsync(TestApp app, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await app.Client.SendAsync(request).WaitAsync(TestApp.Deadline);
        return response.StatusCode;
    }
}
