using LiveAspire.ServiceDefaults.SecurityHeaders;

namespace LiveAspire.Web;

/// <summary>The site's Content-Security-Policy and its one embeddable path (docs/service-defaults.md).</summary>
public static class WebSecurityHeaders
{
    /// <summary>
    /// The overlay's pages, which streaming software embeds: the only path other sites may frame
    /// (<c>SecurityHeaders:EmbeddableFrameAncestors</c>).
    /// </summary>
    public const string OverlayPath = "/overlay";

    /// <summary>
    /// Scripts, styles and everything else from this site only, so no inline script or style runs (pages load
    /// theirs from wwwroot); the browser may also connect to Realtime, over http (negotiation, long polling) and
    /// over WebSockets, at the address the pages are given.
    /// </summary>
    public static string ContentSecurityPolicy(BrowserEndpoints endpoints)
    {
        var realtime = endpoints.Realtime.GetLeftPart(UriPartial.Authority);
        var realtimeSockets = (endpoints.Realtime.Scheme == Uri.UriSchemeHttps ? "wss://" : "ws://") + endpoints.Realtime.Authority;
        return $"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self' {realtime} {realtimeSockets}; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'";
    }

    public static WebApplication UseWebSecurityHeaders(this WebApplication app)
    {
        app.UseSecurityHeaders(new SecurityHeadersPolicy
        {
            ContentSecurityPolicy = ContentSecurityPolicy(app.Services.GetRequiredService<BrowserEndpoints>()),
            EmbeddablePaths = [OverlayPath],
        });
        return app;
    }
}
