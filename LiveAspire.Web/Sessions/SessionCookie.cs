using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace LiveAspire.Web.Sessions;

/// <summary>
/// The session cookie: 32 random bytes (a 256-bit id), data-protected so a forged or altered cookie is refused
/// before any database lookup; the row is found by the id's SHA-256, so the table never holds a usable id. HttpOnly
/// (no script reads it), SameSite=Lax (not sent with cross-site POSTs or subresource loads), Secure whenever the
/// page was served over TLS, path <c>/</c>.
/// </summary>
public sealed class SessionCookie(IDataProtectionProvider protection, IOptions<WebSessionOptions> options)
{
    private const int IdBytes = 32;
    private readonly IDataProtector _protector = protection.CreateProtector("LiveAspire.Web.Sessions.Cookie.v1");

    /// <summary>A new session id (256 random bits).</summary>
    public static byte[] NewId() => RandomNumberGenerator.GetBytes(IdBytes);

    public static byte[] Hash(byte[] id) => SHA256.HashData(id);

    /// <summary>The hash of the id the request's cookie names; null without a cookie or with one that does not unprotect.</summary>
    public byte[]? ReadIdHash(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(options.Value.CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var id = _protector.Unprotect(WebEncoders.Base64UrlDecode(value));
            return id.Length == IdBytes ? Hash(id) : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    public bool IsPresent(HttpContext context) => context.Request.Cookies.ContainsKey(options.Value.CookieName);

    public void Write(HttpContext context, byte[] id, DateTimeOffset expires)
        => context.Response.Cookies.Append(options.Value.CookieName, WebEncoders.Base64UrlEncode(_protector.Protect(id)), Options(context, expires));

    public void Clear(HttpContext context)
        => context.Response.Cookies.Delete(options.Value.CookieName, Options(context, expires: null));

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
        Expires = expires,
    };
}
