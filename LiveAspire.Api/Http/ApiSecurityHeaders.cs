using LiveAspire.ServiceDefaults.SecurityHeaders;

namespace LiveAspire.Api.Http;

/// <summary>Api's security headers (docs/service-defaults.md): it answers JSON only, so nothing may load or run.</summary>
public static class ApiSecurityHeaders
{
    /// <summary>Nothing from anywhere: a JSON answer opened in a browser renders as text and loads nothing.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'";

    public static WebApplication UseApiSecurityHeaders(this WebApplication app)
    {
        app.UseSecurityHeaders(new SecurityHeadersPolicy { ContentSecurityPolicy = ContentSecurityPolicy });
        return app;
    }
}
