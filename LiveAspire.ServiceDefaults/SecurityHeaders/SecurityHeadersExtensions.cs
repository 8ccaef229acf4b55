using Microsoft.AspNetCore.Builder;

namespace LiveAspire.ServiceDefaults.SecurityHeaders;

public static class SecurityHeadersExtensions
{
    /// <summary>
    /// Sends Content-Security-Policy (the service's <paramref name="policy"/> plus frame-ancestors), X-Frame-Options,
    /// X-Content-Type-Options, Referrer-Policy and, over TLS outside Development, Strict-Transport-Security on every
    /// response (docs/service-defaults.md). Call first in the pipeline, so error and status pages get them too.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this WebApplication app, SecurityHeadersPolicy policy)
    {
        var options = new SecurityHeadersOptions();
        app.Configuration.GetSection(SecurityHeadersOptions.SectionName).Bind(options);
        return app.UseMiddleware<SecurityHeadersMiddleware>(policy, Microsoft.Extensions.Options.Options.Create(options));
    }
}
