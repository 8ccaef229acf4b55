namespace LiveAspire.Api.Accounts;

/// <summary>Token issuing and account settings, bound from the <c>Auth</c> section (validation settings share it).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>PEM of the ECDsa P-256 private key access tokens are signed with (<c>Auth:SigningKeyPem</c>). Required.</summary>
    public string? SigningKeyPem { get; set; }

    /// <summary>How long an access token is accepted. Default 15 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an overlay token (exchanged for an overlay key) is accepted. Default 15 minutes.</summary>
    public TimeSpan OverlayTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a guest token (an anonymous viewer's, for one channel) is accepted when opening a hub connection.
    /// Default 10 minutes: short, because there is no session behind it to revoke; an open connection outlives it.
    /// </summary>
    public TimeSpan GuestTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an unused refresh token stays valid; each rotation starts a new period. Default 30 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an email verification token works. Default 48 hours.</summary>
    public TimeSpan EmailVerificationTokenLifetime { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How long a password reset token works. Default 1 hour.</summary>
    public TimeSpan PasswordResetTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Password of the <c>admin</c> account created at first start when no admin exists. Unset: none is created.</summary>
    public string? InitialAdminPassword { get; set; }
}

/// <summary>
/// Limits on the endpoints that guess secrets, create accounts or send mail (section <c>RateLimits</c>). All are per
/// client address and per Api replica except <see cref="PasswordResetPerAccount"/>, which is per address asked for and
/// holds across replicas (counted in Redis). docs/accounts.md, "Rate limits".
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary><c>POST /api/auth/login</c>. Default 10 requests per minute.</summary>
    public FixedWindowLimit Login { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary><c>POST /api/auth/register</c>. Default 5 requests per 10 minutes.</summary>
    public FixedWindowLimit Register { get; set; } = new() { PermitLimit = 5, Window = TimeSpan.FromMinutes(10) };

    /// <summary><c>POST /api/auth/password-reset</c> per client address. Default 10 requests per hour.</summary>
    public FixedWindowLimit PasswordReset { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromHours(1) };

    /// <summary>
    /// <c>POST /api/auth/password-reset</c> per email address asked for (normalised), whether or not an account has it,
    /// from any client address and replica. Default 3 requests per hour: at most 3 mails an hour to one inbox.
    /// </summary>
    public FixedWindowLimit PasswordResetPerAccount { get; set; } = new() { PermitLimit = 3, Window = TimeSpan.FromHours(1) };

    /// <summary><c>POST /api/auth/refresh</c>. Default 60 requests per minute (a device refreshes every 15 minutes).</summary>
    public FixedWindowLimit Refresh { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };

    /// <summary><c>POST /api/overlay/token</c>. Default 30 requests per minute (an overlay exchanges every 15 minutes).</summary>
    public FixedWindowLimit OverlayToken { get; set; } = new() { PermitLimit = 30, Window = TimeSpan.FromMinutes(1) };

    /// <summary>
    /// <c>POST /api/channels/{id}/guest-token</c>. Default 60 requests per minute: a viewer's page asks once when it
    /// opens and again to reconnect, and several viewers can share one address (a household, an office behind NAT).
    /// </summary>
    public FixedWindowLimit GuestToken { get; set; } = new() { PermitLimit = 60, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>A fixed-window budget.</summary>
public sealed class FixedWindowLimit
{
    /// <summary>Requests allowed per window and key (the client address, or the email address asked for).</summary>
    public int PermitLimit { get; set; }

    /// <summary>Window length; the budget resets at its end.</summary>
    public TimeSpan Window { get; set; }
}
