namespace LiveAspire.Contracts.Auth;

/// <summary>Claim names in LiveAspire access tokens (ES256 JWTs issued by Api; docs/architecture.md section 4).</summary>
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

    /// <summary>What a non-user token is for (<see cref="TokenUses"/>). Absent from user access tokens; Api's default
    /// authorization policy refuses any token that carries it.</summary>
    public const string TokenUse = "tuse";

    /// <summary>Overlay tokens: the channel id (UUID) whose overlay the token serves. Guest tokens: the channel id whose
    /// <c>stream:</c> room the guest may read.</summary>
    public const string Channel = "ch";

    /// <summary>Overlay tokens: the id (UUID) of the overlay key the token was exchanged for; the token is accepted
    /// only while that key is active (not revoked, not rotated away).</summary>
    public const string OverlayKeyId = "okid";

    /// <summary>Prefix of the <c>sub</c> of overlay tokens (<c>overlay:{keyId}</c>): never a user id.</summary>
    public const string OverlaySubjectPrefix = "overlay:";

    /// <summary>Prefix of the <c>sub</c> of guest tokens (<c>guest:{guestId}</c>, a fresh random id per token): never a user id.</summary>
    public const string GuestSubjectPrefix = "guest:";

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

/// <summary>Values of the <see cref="TokenClaims.TokenUse"/> claim.</summary>
public static class TokenUses
{
    /// <summary>An overlay page's token (<c>POST /api/overlay/token</c>): it may only resume its channel's <c>alerts:</c> room.</summary>
    public const string Overlay = "overlay";

    /// <summary>
    /// An anonymous viewer's token (<c>POST /api/channels/{id}/guest-token</c>): it may only read its channel's
    /// <c>stream:</c> room, and only while the channel allows anonymous viewers.
    /// </summary>
    public const string Guest = "guest";
}
