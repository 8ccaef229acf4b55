namespace LiveAspire.Tests.Harness;

/// <summary>What every response of Web and Api must carry (docs/service-defaults.md, "Security headers").</summary>
public static class SecurityHeaderAssertions
{
    /// <summary>
    /// Asserts the headers of a response served over http: the Content-Security-Policy <paramref name="policy"/> with
    /// <c>frame-ancestors 'none'</c> and X-Frame-Options DENY, or with <paramref name="embeddableBy"/> and no
    /// X-Frame-Options; nosniff; no referrer; no Strict-Transport-Security.
    /// </summary>
    public static void AssertSecurityHeaders(this HttpResponseMessage response, string policy, string? embeddableBy = null)
    {
        var what = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} ({(int)response.StatusCode})";
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{what}: no Content-Security-Policy");
        Assert.Equal($"{policy}; frame-ancestors {embeddableBy ?? "'none'"}", Assert.Single(csp));
        if (embeddableBy is null)
        {
            Assert.Equal(["DENY"], response.Headers.GetValues("X-Frame-Options"));
        }
        else
        {
            Assert.False(response.Headers.Contains("X-Frame-Options"), $"{what}: X-Frame-Options on an embeddable path");
        }
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff), $"{what}: no X-Content-Type-Options");
        Assert.Equal(["nosniff"], nosniff);
        Assert.True(response.Headers.TryGetValues("Referrer-Policy", out var referrer), $"{what}: no Referrer-Policy");
        Assert.Equal(["no-referrer"], referrer);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), $"{what}: HSTS over http");
    }
}
