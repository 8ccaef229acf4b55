namespace LiveAspire.Contracts.Errors;

/// <summary>
/// The <c>code</c> of the JSON errors Web's own endpoints answer to the page's scripts (<c>/session/*</c>;
/// docs/web.md, docs/errors.md). A missing session is <see cref="ApiErrorCodes.Unauthenticated"/>, as at Api.
/// </summary>
public static class WebErrorCodes
{
    /// <summary>401: the session ended while being refreshed (Api answered refresh_invalid, refresh_reused or user_banned); sign in again.</summary>
    public const string SessionEnded = "session_ended";

    /// <summary>403: the request came from another site (foreign <c>Origin</c>) or lacks the page's antiforgery token.</summary>
    public const string CrossSiteRefused = "cross_site_refused";

    /// <summary>503: Api could not be reached or failed, so no fresh access token could be had; retry shortly.</summary>
    public const string ApiUnavailable = "api_unavailable";
}
