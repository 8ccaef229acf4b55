namespace LiveAspire.ServiceDefaults.SecurityHeaders;

/// <summary>The operator's settings of the security headers every service sends (section <c>SecurityHeaders</c>).</summary>
public sealed class SecurityHeadersOptions
{
    public const string SectionName = "SecurityHeaders";

    /// <summary>
    /// The <c>frame-ancestors</c> sources of the paths a service declares embeddable (Web's overlay), space-separated
    /// CSP sources such as <c>https://studio.example</c>. Default <c>*</c>: any http or https page may frame them, as
    /// web-based streaming studios do (OBS's browser source loads the page itself and is not a frame ancestor).
    /// </summary>
    public string EmbeddableFrameAncestors { get; set; } = "*";

    /// <summary>
    /// <c>max-age</c> of <c>Strict-Transport-Security</c>, sent on requests that arrived over TLS outside
    /// Development. Default 365 days; zero tells browsers to forget the rule.
    /// </summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}
