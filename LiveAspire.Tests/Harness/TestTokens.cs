using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LiveAspire.Tests.Harness;

/// <summary>Mints tokens as Api will (ES256, issuer liveaspire-api, audience liveaspire), and the forged kinds.</summary>
internal sealed class TestTokens : IDisposable
{
    private static readonly JsonWebTokenHandler s_handler = new();

    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string PublicKeyPem => SigningKey.ExportSubjectPublicKeyInfoPem();

    public string Mint(string subject = "user-1", string issuer = "liveaspire-api", string audience = "liveaspire",
        DateTime? expires = null, ECDsa? key = null)
    {
        var exp = expires ?? DateTime.UtcNow.AddMinutes(15);
        return s_handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = exp.AddMinutes(-15),
            NotBefore = exp.AddMinutes(-15),
            Expires = exp,
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["sv"] = 3, ["role"] = "admin" },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key ?? SigningKey), SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>The classic key-confusion forgery: HS256 with the public key's PEM text as the HMAC secret.</summary>
    public string MintHs256WithPublicKey() => s_handler.CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "liveaspire-api",
        Audience = "liveaspire",
        Expires = DateTime.UtcNow.AddMinutes(15),
        Claims = new Dictionary<string, object> { ["sub"] = "attacker" },
        SigningCredentials = new SigningCredentials(
            new SymmetricSecurityKey(Encoding.UTF8.GetBytes(PublicKeyPem)), SecurityAlgorithms.HmacSha256),
    });

    public static string MintUnsigned()
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeSeconds();
        var header = Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"u8);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{{\"sub\":\"attacker\",\"iss\":\"liveaspire-api\",\"aud\":\"liveaspire\",\"exp\":{exp}}}"));
        return $"{header}.{payload}.";
    }

    public void Dispose() => SigningKey.Dispose();
}
