using Microsoft.AspNetCore.Authentication;
using Microsoft.Net.Http.Headers;
using LiveAspire.Postgres;

namespace LiveAspire.Realtime.Edge;

/// <summary>The checks on every request to the hub path, before and after authentication.</summary>
public sealed partial class EdgeMiddleware(OriginPolicy origins, ConnectionSlots slots, IOptions<EdgeOptions> options,
    IHostApplicationLifetime lifetime, ILogger<EdgeMiddleware> logger)
{
    private static readonly MediaTypeHeaderValue EventStream = new("text/event-stream");

    /// <summary>
    /// A stopping replica tells its clients to reconnect elsewhere (GracefulShutdown) and keeps listening while they
    /// leave. Behind a round-robin balancer half of them would come straight back to it and be cut off again when it
    /// stops; refused with 503 they retry, and land on a replica that stays. Only requests that start a connection
    /// are refused (a negotiate, a WebSocket upgrade, an event stream, anything without a connection id): the polls
    /// and sends of a long-polling or event-stream connection that is already open go on, so it can hear its
    /// <c>Reconnect</c> and finish its calls.
    /// </summary>
    /// <remarks>Not async: a hub connection's request stays inside every middleware for the connection's life, and
    /// an async method would keep its state machine that long; passing the next step's task through keeps nothing.</remarks>
    public Task RefuseWhileStoppingAsync(HttpContext context, RequestDelegate next)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested
            && context.Request.Path.StartsWithSegments(LiveHubContract.Path, out var rest)
            && (rest.StartsWithSegments("/negotiate") || !context.Request.Query.ContainsKey("id") || HoldsItsConnection(context.Request)))
        {
            context.Response.Headers.RetryAfter = "1";
            return RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, HubErrorCodes.ShuttingDown, "this replica is stopping; connect again");
        }
        return next(context);
    }

    /// <summary>
    /// Cross-site WebSocket hijacking: a browser sends the page's Origin on every upgrade and cannot forge it, so an
    /// Origin that is not allowed is refused with 403 here, before the upgrade and before the token is looked at.
    /// A request without Origin is not a browser's; it must carry its token in the Authorization header (the token
    /// handler ignores a query-string token without Origin, docs/architecture.md section 4).
    /// </summary>
    /// <remarks>Not async, like <see cref="RefuseWhileStoppingAsync"/>.</remarks>
    public Task CheckOriginAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(LiveHubContract.Path)
            && context.Request.Headers.Origin is { Count: > 0 } origin
            && (origin.Count > 1 || !origins.IsAllowed(origin.ToString())))
        {
            LogOriginRefused(logger, origin.ToString());
            return RefuseAsync(context, StatusCodes.Status403Forbidden, HubErrorCodes.OriginForbidden, "this origin may not open the hub");
        }
        return next(context);
    }

    /// <summary>
    /// PostgreSQL unavailable while a hub request's token is checked: the session state is read from PostgreSQL when
    /// Redis does not hold it (<c>SessionValidator</c>), and JwtBearer rethrows what its events throw, which left the
    /// request to the server's default answer, 500. Here the hub's requests are authenticated first, and such a
    /// failure (<see cref="DatabaseFaults.IsUnavailable"/>, the classification Api answers REST with) is answered 503
    /// <c>database_unavailable</c> with <c>Retry-After</c>: the token may be fine, and the same request will do once
    /// the database is back. The authentication middleware that follows gets the same result from the handler, which
    /// authenticates a request once. Any other failure goes on as before.
    /// </summary>
    /// <remarks>Async for the hub's requests, unlike the checks above: whether to go on is known only once the token is
    /// checked, so the method stays in a connection's request for its life, one state machine of 120 bytes (measured
    /// alone; a connection costs ~28 KB, docs/realtime.md "Memory and GC settings"). Catching where the exception is
    /// thrown instead would mean taking the session check out of JwtBearer's handler, which Api shares.</remarks>
    public Task RefuseWhileDatabaseDownAsync(HttpContext context, RequestDelegate next) =>
        context.Request.Path.StartsWithSegments(LiveHubContract.Path) ? AuthenticateFirstAsync(context, next) : next(context);

    private async Task AuthenticateFirstAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await context.AuthenticateAsync();
        }
        catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex))
        {
            LogDatabaseUnavailable(logger, context.Request.Path, ex.GetBaseException().Message);
            context.Response.Headers.RetryAfter = (DatabaseFaults.RetryAfterMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, HubErrorCodes.DatabaseUnavailable, "the database is unavailable; connect again shortly");
            return;
        }
        await next(context);
    }

    /// <summary>
    /// Per-user, per-address and per-replica caps, after authentication. A WebSocket or Server-Sent Events request holds
    /// its connection for as long as it lasts and is counted for that long (over a cap: 429, or 503 for the replica's,
    /// with <c>Retry-After</c>); a
    /// negotiate request starts nothing and is only checked, so a client over a cap learns it before choosing a
    /// transport. A long-polling connection outlives each of its requests: <see cref="CappedHubConnectionHandler{THub}"/>
    /// counts it for its whole life instead.
    /// </summary>
    public async Task CheckCapsAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments(LiveHubContract.Path, out var rest) || SlotKeys.Of(context) is not { } keys)
        {
            await next(context);
            return;
        }
        if (!HoldsItsConnection(context.Request))
        {
            if (rest.StartsWithSegments("/negotiate") && slots.IsFull(keys, out var full))
            {
                await TooManyAsync(context, full);
                return;
            }
            await next(context);
            return;
        }
        if (!slots.TryTake(keys, out var refused))
        {
            await TooManyAsync(context, refused);
            return;
        }
        context.Features.Set(new HeldConnectionSlots(keys));
        // A held request keeps its headers for as long as the connection lasts (hours). The bearer token is the
        // largest of them (~0.9 KiB) and nothing reads it once authentication and authorization have run, so it is
        // not kept that long (docs/realtime.md, "Memory and GC settings").
        context.Request.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Authorization);
        try
        {
            await next(context);
        }
        finally
        {
            slots.GiveBack(keys);
        }
    }

    /// <summary>
    /// A WebSocket upgrade or an event stream, as SignalR's dispatcher tells them apart, except that the WebSocket
    /// feature is only added inside the hub's endpoint, so the upgrade is recognised by its header here. A misjudged
    /// request costs little: a poll taken for one holds slots only while it lasts (its sender's own), and a
    /// connection missed here (an HTTP/2 WebSocket, sent as CONNECT) is counted by the connection handler.
    /// </summary>
    private static bool HoldsItsConnection(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && (request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase)
            || request.GetTypedHeaders().Accept?.Contains(EventStream) == true);

    /// <summary>
    /// A user's or an address's cap: 429 <c>too_many_connections</c> (the client holds too many). The replica's own cap:
    /// 503 <c>replica_full</c>, since the client did nothing wrong and another replica may have room. Both with
    /// <c>Retry-After</c>.
    /// </summary>
    private Task TooManyAsync(HttpContext context, string key)
    {
        LogCapped(logger, ConnectionSlots.Loggable(key));
        context.Response.Headers.RetryAfter = options.Value.ConnectionRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return key == ConnectionSlots.Replica
            ? RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, HubErrorCodes.ReplicaFull, "this replica holds as many connections as it takes; connect again")
            : RefuseAsync(context, StatusCodes.Status429TooManyRequests, HubErrorCodes.TooManyConnections, "too many open connections");
    }

    private static Task RefuseAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { code, message });
    }

    [LoggerMessage(EventId = 3701, Level = LogLevel.Information, Message = "Hub request refused: origin {Origin} is not allowed")]
    private static partial void LogOriginRefused(ILogger logger, string origin);

    [LoggerMessage(EventId = 3702, Level = LogLevel.Information, Message = "Hub connection refused: cap reached for {Key}")]
    private static partial void LogCapped(ILogger logger, string key);

    [LoggerMessage(EventId = 3705, Level = LogLevel.Warning, Message = "Hub request {Path} refused: the database is unavailable ({Error}); answered 503")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string path, string error);
}
