using LiveAspire.Contracts.Errors;
using LiveAspire.Web.ApiClient;
using LiveAspire.Web.Sessions;

namespace LiveAspire.Web.Streams;

/// <summary>What the stream page's scripts re-read after joining: the channel's title, category and whether it is live.</summary>
public sealed record ChannelLiveState(string Title, string Category, bool IsLive);

/// <summary>
/// Web's endpoints for the stream page's scripts (docs/web.md, "The stream page"). Same origin only, like
/// <c>/session/*</c>: the guest token is handed out behind the page's antiforgery token, so another site cannot make
/// a visitor's browser spend the visitor's guest-token budget.
/// </summary>
public static class StreamPageEndpoints
{
    public const string GuestTokenPath = "/guest/token/{channelId:guid}";

    public const string StatePath = "/channels/{channelId:guid}/state";

    public static IEndpointRouteBuilder MapStreamPageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(GuestTokenPath, IssueGuestToken);
        app.MapGet(StatePath, GetState);
        return app;
    }

    /// <summary>
    /// A guest token of the channel, asked of Api server-side with the browser's address (so Api's per-address
    /// guest-token limit counts this visitor, not Web): 200 <c>{accessToken, expiresAt}</c> (the shape of
    /// <c>/session/token</c>), or Api's refusal as <c>{code, message}</c> with its status (403
    /// <c>guests_not_allowed</c>, 404 <c>channel_not_found</c>, 429 <c>rate_limited</c> with <c>Retry-After</c>),
    /// 503 <c>api_unavailable</c>. Never cached.
    /// </summary>
    public static async Task<IResult> IssueGuestToken(Guid channelId, HttpContext context, CrossSiteGuard guard, LiveApiClient api)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await guard.RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        var result = await api.GetGuestTokenAsync(channelId, context.RequestAborted);
        return result.Value is { } token
            ? Results.Json(new SessionTokenResponse(token.AccessToken, token.AccessTokenExpiresAt))
            : Failure(context, result.Problem!);
    }

    /// <summary>
    /// The channel's current title, category and live flag, read after the page joined its room (events published
    /// between the server render and the join are not replayed to a room joined from no position) and after a
    /// reset (<c>recovered: false</c>). Public data, as Api's <c>GET /api/channels/{id}</c>.
    /// </summary>
    public static async Task<IResult> GetState(Guid channelId, HttpContext context, LiveApiClient api)
    {
        context.Response.Headers.CacheControl = "no-store";
        var result = await api.GetChannelAsync(channelId, context.RequestAborted);
        return result.Value is { } channel
            ? Results.Json(new ChannelLiveState(channel.Title, channel.Category, channel.IsLive))
            : Failure(context, result.Problem!);
    }

    private static IResult Failure(HttpContext context, ApiProblem problem)
    {
        if (problem.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return problem.Status == 0
            ? Results.Json(new WebError(WebErrorCodes.ApiUnavailable, "The site cannot reach its API right now; try again shortly."), statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new WebError(problem.Code, problem.Title), statusCode: problem.Status);
    }
}
