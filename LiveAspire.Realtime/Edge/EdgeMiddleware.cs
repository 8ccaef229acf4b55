using System.Net;
using System.Security.Claims;
using Microsoft.Net.Http.Headers;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Realtime;
using Microsoft.Extensions.Options;

namespace LiveAspire.Realtime.Edge;

/// <summary>The checks on every request to the hub path, before and after authentication.</summary>
public sealed partial class EdgeMiddleware(OriginPolicy origins, ConnectionCaps<string> userCaps, ConnectionCaps<IPAddress> addressCaps,
    IOptions<EdgeOptions> options, ILogger<EdgeMiddleware> logger)
{
    /// <summary>Stands for a peer without an address (not a TCP connection): all of them share one count.</summary>
    private static readonly IPAddress UnknownAddress = IPAddress.IPv6None;

    /// <summary>
    /// Cross-site WebSocket hijacking: a browser sends the page's Origin on every upgrade and cannot forge it, so an
    /// Origin that is not allowed is refused with 403 here, before the upgrade and before the token is looked at.
    /// A request without Origin is not a browser's; it must carry its token in the Authorization header (the token
    /// handler ignores a query-string token without Origin, DESIGN.md section 3).
    /// </summary>
    public async Task CheckOriginAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(LiveHubContract.Path)
            && context.Request.Headers.Origin is { Count: > 0 } origin
            && (origin.Count > 1 || !origins.IsAllowed(origin.ToString())))
        {
            LogOriginRefused(logger, origin.ToString());
            await RefuseAsync(context, StatusCodes.Status403Forbidden, HubErrorCodes.OriginForbidden, "this origin may not open the hub");
            return;
        }
        await next(context);
    }

    /// <summary>
    /// Per-user and per-address caps, after authentication. A WebSocket or Server-Sent Events request holds its
    /// connection for as long as it lasts and is counted for that long; a negotiate request is only checked, so a
    /// client over the cap learns it before choosing a transport. Over the cap: 429 with <c>Retry-After</c>.
    /// </summary>
    public async Task CheckCapsAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments(LiveHubContract.Path, out var rest) || context.User.FindFirstValue(TokenClaims.Subject) is not { } subject)
        {
            await next(context);
            return;
        }
        var limits = options.Value;
        var address = context.Connection.RemoteIpAddress ?? UnknownAddress;
        // The WebSocket feature is added inside the hub's endpoint, so the upgrade is recognised by its header here.
        var holds = (HttpMethods.IsGet(context.Request.Method)
                && context.Request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase))
            || (HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase));
        if (!holds)
        {
            if (rest.StartsWithSegments("/negotiate")
                && (userCaps.CountOf(subject) >= limits.MaxConnectionsPerUser || addressCaps.CountOf(address) >= limits.MaxConnectionsPerIp))
            {
                await TooManyAsync(context, "ip:" + address);
                return;
            }
            await next(context);
            return;
        }
        if (!userCaps.TryAcquire(subject, limits.MaxConnectionsPerUser))
        {
            await TooManyAsync(context, "user");
            return;
        }
        try
        {
            if (!addressCaps.TryAcquire(address, limits.MaxConnectionsPerIp))
            {
                await TooManyAsync(context, "ip:" + address);
                return;
            }
            try
            {
                // A held request keeps its headers for as long as the connection lasts (hours). The bearer token is
                // the largest of them (~0.9 KiB) and nothing reads it once authentication and authorization have
                // run, so it is not kept that long (docs/realtime.md, "Memory and GC settings").
                context.Request.Headers.Remove(HeaderNames.Authorization);
                await next(context);
            }
            finally
            {
                addressCaps.Release(address);
            }
        }
        finally
        {
            userCaps.Release(subject);
        }
    }

    private Task TooManyAsync(HttpContext context, string key)
    {
        LogCapped(logger, key);
        context.Response.Headers.RetryAfter = options.Value.ConnectionRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return RefuseAsync(context, StatusCodes.Status429TooManyRequests, HubErrorCodes.TooManyConnections, "too many open connections");
    }

    private static Task RefuseAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { code, message });
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Hub request refused: origin {Origin} is not allowed")]
    private static partial void LogOriginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Information, Message = "Hub connection refused with 429: cap reached for {Key}")]
    private static partial void LogCapped(ILogger logger, string key);
}
