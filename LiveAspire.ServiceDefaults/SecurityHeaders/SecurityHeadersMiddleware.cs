using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LiveAspire.ServiceDefaults.SecurityHeaders;

/// <summary>
/// Adds the security headers to every response: pages, JSON, static files, health probes, and the errors other
/// middleware writes. They are set when the response starts rather than on the way in, because the exception
/// handler clears the headers of a failed response before it writes the problem.
/// </summary>
internal sealed class SecurityHeadersMiddleware(
    RequestDelegate next, SecurityHeadersPolicy policy, IOptions<SecurityHeadersOptions> options, IHostEnvironment environment)
{
    private readonly string _framedNowhere = $"{policy.ContentSecurityPolicy}; frame-ancestors 'none'";
    private readonly string _embeddable = $"{policy.ContentSecurityPolicy}; frame-ancestors {options.Value.EmbeddableFrameAncestors}";
    private readonly string _hsts = string.Create(CultureInfo.InvariantCulture, $"max-age={(long)options.Value.HstsMaxAge.TotalSeconds}");

    public Task InvokeAsync(HttpContext context)
    {
        // Decided on the path as requested: a status page re-executed under another path keeps the original's rule.
        var embeddable = IsEmbeddable(context.Request.Path);
        // Over TLS only (a browser ignores it over http anyway), and never in Development, where an https profile on
        // localhost would pin every local port of the developer's browser to https.
        var hsts = context.Request.IsHttps && !environment.IsDevelopment();
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = embeddable ? _embeddable : _framedNowhere;
            if (!embeddable)
            {
                // For browsers without frame-ancestors; it has no allow-list, so embeddable paths leave it out.
                headers.XFrameOptions = "DENY";
            }
            headers.XContentTypeOptions = "nosniff";
            // No page's address (an overlay's holds its key) leaves in a Referer header.
            headers["Referrer-Policy"] = "no-referrer";
            if (hsts)
            {
                headers.StrictTransportSecurity = _hsts;
            }
            return Task.CompletedTask;
        });
        return next(context);
    }

    private bool IsEmbeddable(PathString path)
    {
        foreach (var prefix in policy.EmbeddablePaths)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
