using Microsoft.AspNetCore.Http;

namespace LiveAspire.ServiceDefaults.SecurityHeaders;

/// <summary>What differs between services: their Content-Security-Policy and the paths other sites may frame.</summary>
public sealed class SecurityHeadersPolicy
{
    /// <summary>
    /// The service's Content-Security-Policy without <c>frame-ancestors</c>, which the middleware appends:
    /// <c>'none'</c>, or <see cref="SecurityHeadersOptions.EmbeddableFrameAncestors"/> under <see cref="EmbeddablePaths"/>.
    /// </summary>
    public required string ContentSecurityPolicy { get; init; }

    /// <summary>Path prefixes (whole segments) that other sites may frame; every other path refuses to be framed.</summary>
    public IReadOnlyList<PathString> EmbeddablePaths { get; init; } = [];
}
