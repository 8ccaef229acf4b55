namespace LiveAspire.Web.Sessions;

/// <summary>
/// One signed-in browser, as the <c>web_sessions</c> row holds it (tokens already unprotected). The refresh token
/// never leaves the server; the access token goes to Api calls and, through <c>/session/token</c>, to the page.
/// </summary>
public sealed record WebSession(
    byte[] IdHash,
    Guid UserId,
    string Username,
    string Role,
    string DeviceId,
    string RefreshToken,
    string AccessToken,
    DateTimeOffset AccessExpiresAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt);
