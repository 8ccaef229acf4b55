using LiveAspire.Contracts.Errors;
using Microsoft.AspNetCore.Antiforgery;

namespace LiveAspire.Web.Sessions;

/// <summary>
/// What every state-changing or token-handing endpoint of Web checks before acting (docs/web.md, "Cross-site
/// requests"): the browser's <c>Origin</c>, when sent, is this site's own, and the request carries the antiforgery
/// token of one of this site's pages (header <see cref="HeaderName"/> for scripts, the form field for forms). The
/// SameSite=Lax cookie already keeps cross-site POSTs from carrying the session; this holds even where it would not
/// (a same-site sibling host, an old browser).
/// </summary>
public sealed class CrossSiteGuard(IAntiforgery antiforgery)
{
    /// <summary>The header scripts send the token in (read from <c>&lt;meta name="csrf-token"&gt;</c>).</summary>
    public const string HeaderName = "X-CSRF-TOKEN";

    /// <summary>Null when the request may proceed, otherwise the 403 to answer.</summary>
    public async Task<IResult?> RefuseAsync(HttpContext context)
    {
        if (!IsSameOrigin(context.Request))
        {
            return Refused("This request came from another site.");
        }
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            return Refused("This request lacks the page's antiforgery token; reload the page.");
        }
    }

    /// <summary>
    /// <c>Sec-Fetch-Site</c>, when sent, must be <c>same-origin</c> (a sibling host's <c>same-site</c> and another
    /// site's <c>cross-site</c> are refused). An <c>Origin</c> that is sent must be this site's scheme, host and port,
    /// except <c>null</c>: the site's <c>Referrer-Policy: no-referrer</c> makes Chromium send <c>Origin: null</c> with
    /// the site's own form posts, so a null origin (like a missing one, from an old browser) leaves the decision to
    /// the antiforgery token and <c>Sec-Fetch-Site</c>.
    /// </summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"] is [var site] && !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (request.Headers.Origin is not [var origin])
        {
            return request.Headers.Origin.Count == 0;
        }
        if (origin == "null")
        {
            return true;
        }
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static IResult Refused(string message)
        => Results.Json(new WebError(WebErrorCodes.CrossSiteRefused, message), statusCode: StatusCodes.Status403Forbidden);
}

/// <summary>The JSON error body of Web's own endpoints.</summary>
public sealed record WebError(string Code, string Message);
