namespace LiveAspire.ServiceDefaults.Authentication;

/// <summary>
/// How services validate the ES256 access tokens Api signs, bound from the <c>Auth</c> configuration section and
/// turned into the <c>Bearer</c> scheme's <see cref="Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerOptions"/>.
/// Services hold only the public key.
/// </summary>
public sealed class AccessTokenOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "Auth";

    /// <summary>PEM text of Api's ECDsa P-256 public key (<c>Auth:PublicKeyPem</c>). No key: every token is rejected.</summary>
    public string? PublicKeyPem { get; set; }

    /// <summary>Required <c>iss</c> claim. Default <c>liveaspire-api</c>.</summary>
    public string Issuer { get; set; } = "liveaspire-api";

    /// <summary>Required <c>aud</c> claim. Default <c>liveaspire</c>.</summary>
    public string Audience { get; set; } = "liveaspire";

    /// <summary>
    /// Tolerated clock difference when checking <c>exp</c> and <c>nbf</c>. Default 30 seconds (JwtBearer's own default
    /// of 5 minutes would keep a 15-minute token alive a third longer than issued).
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Path prefixes (whole segments) where the token may come in the <c>access_token</c> query parameter, because
    /// browsers cannot set headers on a WebSocket or EventSource. Everywhere else a query token is ignored: URLs end
    /// up in logs, proxies and browser history. Default <c>/hubs/live</c>.
    /// </summary>
    public string[] QueryTokenPaths { get; set; } = ["/hubs/live"];
}
