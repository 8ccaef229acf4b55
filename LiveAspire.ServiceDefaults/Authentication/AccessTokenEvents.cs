using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;

namespace LiveAspire.ServiceDefaults.Authentication;

/// <summary>
/// What JwtBearer does not do by itself: read the query token only where a browser needs it, keep a small principal,
/// and ask the service's <see cref="ISessionValidator"/> whether the token's session still stands.
/// </summary>
internal sealed partial class AccessTokenEvents(IOptions<AccessTokenOptions> tokens, ILogger<AccessTokenEvents> logger) : JwtBearerEvents
{
    public override Task MessageReceived(MessageReceivedContext context)
    {
        var request = context.Request;
        // With an Authorization header, JwtBearer reads that header itself (and a non-Bearer one yields no result).
        // docs/architecture.md section 4: a request without an Origin header (not a browser) must use the header; a query
        // token is only for browsers, whose WebSocket and EventSource APIs cannot set headers.
        if (string.IsNullOrEmpty(request.Headers.Authorization) && !string.IsNullOrEmpty(request.Headers.Origin))
        {
            foreach (var path in tokens.Value.QueryTokenPaths)
            {
                if (request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase))
                {
                    string? query = request.Query["access_token"];
                    context.Token = string.IsNullOrEmpty(query) ? null : query;
                    break;
                }
            }
        }
        // Only a request that brings a token is refused for want of a key: anonymous ones (probes, login) pass on to
        // authorization as usual, and the error is logged per token, not per health probe.
        if (ConfigureAccessTokenValidation.KeyError(context.Options) is { } keyError
            && (context.Token is not null || !string.IsNullOrEmpty(request.Headers.Authorization)))
        {
            LogNoKey(logger, keyError);
            context.Fail("Token validation is not configured.");
        }
        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        // A plain identity with plain claims: the validated one keeps the parsed token and a property dictionary per
        // claim (~4.6 KB), and a hub connection's request keeps its principal for hours (docs/realtime.md, "Memory
        // and GC settings"). Types, values, value types and issuers are all anything downstream reads.
        var validated = (ClaimsIdentity)context.Principal!.Identity!;
        var identity = new ClaimsIdentity(
            validated.Claims.Select(c => new Claim(c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer)),
            validated.AuthenticationType, validated.NameClaimType, validated.RoleClaimType);
        if (identity.FindFirst("sub") is not { Value.Length: > 0 } subject)
        {
            Reject(context, "MissingSubject", "Invalid token.");
            return;
        }
        // ASP.NET Core's own helpers (and SignalR's default IUserIdProvider) read NameIdentifier.
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, subject.Value, ClaimValueTypes.String, subject.Issuer));
        var principal = new ClaimsPrincipal(identity);
        if (context.HttpContext.RequestServices.GetService<ISessionValidator>() is { } sessions
            && await sessions.ValidateAsync(principal, context.HttpContext.RequestAborted).ConfigureAwait(false) is { } reason)
        {
            Reject(context, reason, "Session revoked.");
            return;
        }
        context.Principal = principal;
        // JwtBearer puts the token's issue and expiry times in the ticket's properties, which also stay with a hub
        // connection for its life; nothing here reads them.
        context.Properties = new AuthenticationProperties();
    }

    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        // The exception type names the reason (expired, issuer, signature, algorithm); its message may quote token
        // parts, so it is not logged.
        LogRejected(logger, context.Exception.GetType().Name, context.Request.Path);
        return Task.CompletedTask;
    }

    private void Reject(TokenValidatedContext context, string reason, string failure)
    {
        LogRejected(logger, reason, context.Request.Path);
        context.Fail(failure);
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Bearer token rejected: {Reason} on {Path}")]
    private static partial void LogRejected(ILogger logger, string reason, string path);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Bearer token cannot be validated: {KeyError}")]
    private static partial void LogNoKey(ILogger logger, string keyError);
}
