using System.Security.Cryptography;
using LiveAspire.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LiveAspire.Api.Accounts;

/// <summary>An access token and when it stops being accepted.</summary>
public sealed record AccessToken(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// Signs ES256 access tokens (docs/architecture.md section 4): <c>sub</c>, <c>sv</c> (integer), <c>role</c>, <c>name</c>,
/// <c>iss</c>, <c>aud</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>, <c>jti</c>. Thread-safe; one per process.
/// </summary>
public sealed class AccessTokenIssuer
{
    private static readonly JsonWebTokenHandler s_handler = new();
    private readonly SigningCredentials _credentials;
    private readonly TimeProvider _time;

    public AccessTokenIssuer(string signingKeyPem, TimeSpan lifetime, TimeProvider? time = null)
    {
        // Lives as long as the issuer (the process); the security key holds on to it.
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(signingKeyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new ConfigurationException("Auth:SigningKeyPem", "is not an ECDsa private key in PEM", ex);
        }
        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new ConfigurationException("Auth:SigningKeyPem", "is not a P-256 key");
        }
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ConfigurationException("Auth:AccessTokenLifetime", "must be positive");
        }
        _credentials = new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256);
        Lifetime = lifetime;
        _time = time ?? TimeProvider.System;
    }

    public TimeSpan Lifetime { get; }

    /// <summary>Lifetime of overlay tokens (<c>Auth:OverlayTokenLifetime</c>, 15 minutes).</summary>
    public TimeSpan OverlayLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Lifetime of guest tokens (<c>Auth:GuestTokenLifetime</c>, 10 minutes).</summary>
    public TimeSpan GuestLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Builds the issuer from <c>Auth:SigningKeyPem</c> and the <c>Auth:*Lifetime</c> settings; throws <see cref="ConfigurationException"/> when the key is missing or unusable, or a lifetime is not positive.</summary>
    public static AccessTokenIssuer FromOptions(AuthOptions options)
        => string.IsNullOrWhiteSpace(options.SigningKeyPem)
            ? throw new ConfigurationException("Auth:SigningKeyPem", "is missing")
            : new AccessTokenIssuer(options.SigningKeyPem, options.AccessTokenLifetime)
            {
                OverlayLifetime = options.OverlayTokenLifetime > TimeSpan.Zero
                    ? options.OverlayTokenLifetime
                    : throw new ConfigurationException("Auth:OverlayTokenLifetime", "must be positive"),
                GuestLifetime = options.GuestTokenLifetime > TimeSpan.Zero
                    ? options.GuestTokenLifetime
                    : throw new ConfigurationException("Auth:GuestTokenLifetime", "must be positive"),
            };

    public AccessToken Issue(Guid userId, string username, string role, int sessionVersion)
        => Sign(Lifetime, new Dictionary<string, object>
        {
            [TokenClaims.Subject] = userId.ToString("D"),
            [TokenClaims.SessionVersion] = sessionVersion,
            [TokenClaims.Role] = role,
            [TokenClaims.Name] = username,
        });

    /// <summary>
    /// An overlay token (<c>tuse=overlay</c>): <c>sub</c> = <c>overlay:{keyId}</c>, <c>ch</c>, <c>okid</c>; no
    /// <c>sv</c>, <c>role</c> or <c>name</c>, so nothing can mistake it for a user. Valid only while the key is active
    /// (SessionValidator), and for <see cref="OverlayLifetime"/> at most.
    /// </summary>
    public AccessToken IssueOverlay(Guid keyId, Guid channelId)
        => Sign(OverlayLifetime, new Dictionary<string, object>
        {
            [TokenClaims.Subject] = TokenClaims.OverlaySubjectPrefix + keyId.ToString("D"),
            [TokenClaims.TokenUse] = TokenUses.Overlay,
            [TokenClaims.Channel] = channelId.ToString("D"),
            [TokenClaims.OverlayKeyId] = keyId.ToString("D"),
        });

    /// <summary>
    /// A guest token (<c>tuse=guest</c>) for an anonymous viewer of <paramref name="channelId"/>: <c>sub</c> =
    /// <c>guest:{random id}</c>, fresh for every token (it names no person and nothing is stored under it), and
    /// <c>ch</c>; no <c>sv</c>, <c>role</c> or <c>name</c>, so nothing can mistake it for a user. Valid only while the
    /// channel allows anonymous viewers (SessionValidator), and for <see cref="GuestLifetime"/> at most.
    /// </summary>
    public AccessToken IssueGuest(Guid channelId)
        => Sign(GuestLifetime, new Dictionary<string, object>
        {
            [TokenClaims.Subject] = TokenClaims.GuestSubjectPrefix + Guid.NewGuid().ToString("D"),
            [TokenClaims.TokenUse] = TokenUses.Guest,
            [TokenClaims.Channel] = channelId.ToString("D"),
        });

    /// <summary>
    /// Signs <paramref name="claims"/> plus what every token carries: <c>iss</c>, <c>aud</c>, <c>iat</c> and <c>nbf</c>
    /// (now), <c>exp</c> (now + <paramref name="lifetime"/>) and a fresh <c>jti</c>.
    /// </summary>
    private AccessToken Sign(TimeSpan lifetime, Dictionary<string, object> claims)
    {
        var now = _time.GetUtcNow();
        var expires = now + lifetime;
        claims[JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N");
        var token = s_handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenClaims.Issuer,
            Audience = TokenClaims.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = _credentials,
        });
        // exp is whole seconds in the token; report the same instant.
        return new AccessToken(token, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()));
    }
}
