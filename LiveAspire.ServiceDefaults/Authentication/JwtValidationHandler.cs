using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace LiveAspire.ServiceDefaults.Authentication;

/// <summary>
/// Validates the access token with <see cref="JsonWebTokenHandler"/> (the JwtBearer package is not available).
/// The token comes from <c>Authorization: Bearer</c>, or from <c>access_token</c> on <see cref="JwtValidationOptions.QueryTokenPaths"/>.
/// </summary>
public sealed partial class JwtValidationHandler(
    IOptionsMonitor<JwtValidationOptions> options, ILoggerFactory loggerFactory, UrlEncoder encoder)
    : AuthenticationHandler<JwtValidationOptions>(options, loggerFactory, encoder)
{
    // Stateless and thread-safe; its default leaves claim names as they are in the token (no inbound mapping),
    // so "sub", "sv" and "role" reach the app unchanged.
    private static readonly JsonWebTokenHandler s_tokens = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }
        if (Options.ValidationParameters is not { } parameters)
        {
            LogNoKey(Logger, Options.KeyError ?? "unknown");
            return AuthenticateResult.Fail("Token validation is not configured.");
        }

        var result = await s_tokens.ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            // The exception type names the reason (expired, issuer, signature, algorithm); its message may quote
            // token parts, so it is not logged.
            LogRejected(Logger, result.Exception?.GetType().Name ?? "unknown", Request.Path);
            return AuthenticateResult.Fail("Invalid token.");
        }

        // A plain identity with plain claims: the handler's own keeps the parsed token and a property dictionary per
        // claim (~4.6 KB), and a hub connection's request keeps its principal for hours (docs/realtime.md, "Memory
        // and GC settings"). Types, values, value types and issuers are all anything downstream reads.
        var validated = result.ClaimsIdentity;
        var identity = new ClaimsIdentity(
            validated.Claims.Select(c => new Claim(c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer)),
            validated.AuthenticationType, validated.NameClaimType, validated.RoleClaimType);
        if (identity.FindFirst("sub")?.Value is not { Length: > 0 } subject)
        {
            LogRejected(Logger, "MissingSubject", Request.Path);
            return AuthenticateResult.Fail("Invalid token.");
        }
        // ASP.NET Core's own helpers (and SignalR's default IUserIdProvider) read NameIdentifier.
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, subject, ClaimValueTypes.String, identity.FindFirst("sub")!.Issuer));
        var principal = new ClaimsPrincipal(identity);
        if (Context.RequestServices.GetService(typeof(ISessionValidator)) is ISessionValidator sessions
            && await sessions.ValidateAsync(principal, Context.RequestAborted).ConfigureAwait(false) is { } reason)
        {
            LogRejected(Logger, reason, Request.Path);
            return AuthenticateResult.Fail("Session revoked.");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    private string? ReadToken()
    {
        string? authorization = Request.Headers.Authorization;
        if (!string.IsNullOrEmpty(authorization))
        {
            return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? authorization["Bearer ".Length..].Trim() is { Length: > 0 } t ? t : null
                : null;
        }
        // DESIGN.md section 3: a request without an Origin header (not a browser) must use the Authorization
        // header; a query-string token is only for browsers, whose WebSocket API cannot set headers.
        if (string.IsNullOrEmpty(Request.Headers.Origin))
        {
            return null;
        }
        foreach (var path in Options.QueryTokenPaths)
        {
            if (Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase))
            {
                string? query = Request.Query["access_token"];
                return string.IsNullOrEmpty(query) ? null : query;
            }
        }
        return null;
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} on {Path}")]
    private static partial void LogRejected(ILogger logger, string reason, string path);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Bearer token cannot be validated: {KeyError}")]
    private static partial void LogNoKey(ILogger logger, string keyError);
}
