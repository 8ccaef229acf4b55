using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace LiveAspire.Api.Accounts;

/// <summary>
/// Opaque tokens (refresh, email verification, password reset): 32 random bytes, base64url on the wire, SHA-256 in
/// the database. A database leak then yields nothing usable, and a plain hash suffices because 256 random bits
/// cannot be guessed (unlike passwords, which need a slow hash).
/// </summary>
public static class SecureTokens
{
    public static (string Token, byte[] Hash) Create()
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Cheap shape check before touching the database: 43 base64url characters.</summary>
    public static bool LooksValid(string? token) => token is { Length: 43 } && Base64Url.IsValid(token);
}
