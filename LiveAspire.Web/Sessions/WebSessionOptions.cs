namespace LiveAspire.Web.Sessions;

/// <summary>Browser sessions (section <c>Session</c>; docs/web.md).</summary>
public sealed class WebSessionOptions
{
    public const string SectionName = "Session";

    /// <summary>The cookie that names the server-side session. Default <c>liveaspire-session</c>.</summary>
    public string CookieName { get; set; } = "liveaspire-session";

    /// <summary>
    /// An access token with less than this left is refreshed before it is used or handed to the page. Default one
    /// minute: long enough for a token handed out to open a hub connection before it expires.
    /// </summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <c>last_seen_at</c> is written at most this often per session (default one minute), so a busy page does not
    /// write a row on every request.
    /// </summary>
    public TimeSpan LastSeenResolution { get; set; } = TimeSpan.FromMinutes(1);
}
