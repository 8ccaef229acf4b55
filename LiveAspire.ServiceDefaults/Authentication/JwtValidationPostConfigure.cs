using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LiveAspire.ServiceDefaults.Authentication;

/// <summary>Parses the public key and builds the validation parameters once per scheme, not per request.</summary>
internal sealed class JwtValidationPostConfigure : IPostConfigureOptions<JwtValidationOptions>
{
    public void PostConfigure(string? name, JwtValidationOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.PublicKeyPem))
        {
            options.KeyError = "Auth:PublicKeyPem is not set";
            return;
        }
        // The ECDsa instance lives as long as the options (the process); the key object holds on to it.
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(options.PublicKeyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            options.KeyError = "Auth:PublicKeyPem is not an ECDsa PEM key";
            return;
        }
        if (ecdsa.KeySize != 256)
        {
            ecdsa.Dispose();
            options.KeyError = "Auth:PublicKeyPem is not a P-256 key";
            return;
        }

        options.ValidationParameters = new TokenValidationParameters
        {
            IssuerSigningKey = new ECDsaSecurityKey(ecdsa),
            // Pinning the algorithm is what defeats "alg: none" and the HS256-with-the-public-key confusion.
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireSignedTokens = true,
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = options.ClockSkew,
            NameClaimType = "sub",
            RoleClaimType = "role",
            AuthenticationType = JwtValidationOptions.SchemeName,
        };
    }
}
