using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LiveAspire.ServiceDefaults.Authentication;

/// <summary>
/// Turns <see cref="AccessTokenOptions"/> into the Bearer scheme's validation rules, once per process: the key is
/// parsed here, not per request. A post-configuration, so it runs after JwtBearer's own binding of
/// <c>Authentication:Schemes:Bearer</c>: a stray section there (<c>dotnet user-jwts</c> writes one) cannot replace the
/// pinned rules.
/// </summary>
internal sealed class ConfigureAccessTokenValidation(IOptions<AccessTokenOptions> tokens, AccessTokenEvents events)
    : IPostConfigureOptions<JwtBearerOptions>
{
    private const string KeyErrorProperty = "LiveAspire.KeyError";

    /// <summary>Why no signing key could be read from configuration (every token is then refused), or null.</summary>
    public static string? KeyError(JwtBearerOptions options)
        => options.TokenValidationParameters.PropertyBag?.TryGetValue(KeyErrorProperty, out var error) == true ? (string)error : null;

    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }
        var settings = tokens.Value;
        // Claim names as issued ("sub", "sv", "role", "tuse"): no mapping to the long WS-* URIs.
        options.MapInboundClaims = false;
        options.Events = events;
        // No Authority, whatever configuration says: the key is configured, and no key fetched from elsewhere may
        // sign a token we accept.
        options.Authority = null;
        options.MetadataAddress = null!;
        options.Configuration = null;
        options.ConfigurationManager = null;
        options.RequireHttpsMetadata = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            IssuerSigningKey = ReadKey(settings.PublicKeyPem, out var keyError),
            // Pinning the algorithm is what defeats "alg: none" and the HS256-with-the-public-key confusion.
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = settings.ClockSkew,
            NameClaimType = "sub",
            RoleClaimType = "role",
            AuthenticationType = JwtBearerDefaults.AuthenticationScheme,
        };
        if (keyError is not null)
        {
            options.TokenValidationParameters.PropertyBag = new Dictionary<string, object> { [KeyErrorProperty] = keyError };
        }
    }

    private static ECDsaSecurityKey? ReadKey(string? pem, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(pem))
        {
            error = "Auth:PublicKeyPem is not set";
            return null;
        }
        // The ECDsa instance lives as long as the options (the process); the key object holds on to it.
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            error = "Auth:PublicKeyPem is not an ECDsa PEM key";
            return null;
        }
        if (ecdsa.KeySize != 256)
        {
            ecdsa.Dispose();
            error = "Auth:PublicKeyPem is not a P-256 key";
            return null;
        }
        return new ECDsaSecurityKey(ecdsa);
    }
}
