namespace LiveAspire.Contracts.Auth;

/// <summary>Claim names in LiveAspire access tokens (ES256 JWTs issued by Api; DESIGN.md section 3).</summary>
public static class TokenClaims
{
    /// <summary>User id (a UUID string).</summary>
    public const string Subject = "sub";

    /// <summary>Session version at issue time: a token whose version is below the user's current one is revoked.</summary>
    public const string SessionVersion = "sv";

    /// <summary>Global role: <see cref="GlobalRoles.User"/> or <see cref="GlobalRoles.Admin"/>.
    /// Per-channel roles (moderator, subscriber) are looked up, never carried in the token.</summary>
    public const string Role = "role";

    /// <summary>The user's public name (username), for display only.</summary>
    public const string Name = "name";

    /// <summary>The <c>iss</c> of every access token.</summary>
    public const string Issuer = "liveaspire-api";

    /// <summary>The <c>aud</c> of every access token.</summary>
    public const string Audience = "liveaspire";
}

/// <summary>Values of the <see cref="TokenClaims.Role"/> claim.</summary>
public static class GlobalRoles
{
    /// <summary>Everyone.</summary>
    public const string User = "user";

    /// <summary>Platform administrators (bans, roles, announcements).</summary>
    public const string Admin = "admin";
}
