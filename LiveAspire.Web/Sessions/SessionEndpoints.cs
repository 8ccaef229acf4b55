using LiveAspire.Contracts.Errors;
using LiveAspire.Web.ApiClient;

namespace LiveAspire.Web.Sessions;

/// <summary>The access token handed to the page's scripts (<c>POST /session/token</c>).</summary>
/// <param name="AccessToken">Api's JWT for the signed-in user, for the Realtime hub (<c>accessTokenFactory</c>).</param>
/// <param name="ExpiresAt">When it stops being accepted; ask again before then (wwwroot/js/session.js does).</param>
public sealed record SessionTokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Web's own endpoints for the page's scripts and the header's forms (docs/web.md). Every one is same-origin only
/// (<see cref="CrossSiteGuard"/>) and answers JSON errors <c>{code, message}</c> to scripts.
/// </summary>
public static class SessionEndpoints
{
    public const string TokenPath = "/session/token";

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(TokenPath, IssueToken);
        app.MapPost("/session/follows/{channelId:guid}", (Guid channelId, HttpContext context, CurrentSession session, LiveApiClient api, CrossSiteGuard guard)
            => ChangeFollowAsync(context, session, guard, (token, ct) => api.FollowAsync(token, channelId, ct)));
        app.MapDelete("/session/follows/{channelId:guid}", (Guid channelId, HttpContext context, CurrentSession session, LiveApiClient api, CrossSiteGuard guard)
            => ChangeFollowAsync(context, session, guard, (token, ct) => api.UnfollowAsync(token, channelId, ct)));
        app.MapPost("/signout", (HttpContext context, CurrentSession session, CrossSiteGuard guard) => SignOutAsync(context, session, guard, everywhere: false));
        app.MapPost("/signout/everywhere", (HttpContext context, CurrentSession session, CrossSiteGuard guard) => SignOutAsync(context, session, guard, everywhere: true));
        return app;
    }

    /// <summary>
    /// 200 <c>{accessToken, expiresAt}</c>, refreshed first under the session's row lock when near expiry; 401
    /// <c>unauthenticated</c> without a session, 401 <c>session_ended</c> when Api ended it now (cookie cleared), 503
    /// <c>api_unavailable</c> when no valid token could be had. Never cached.
    /// </summary>
    public static async Task<IResult> IssueToken(HttpContext context, CurrentSession session, CrossSiteGuard guard)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await guard.RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        return await session.TokenAsync() switch
        {
            AccessTokenOutcome.Token fresh => Results.Json(new SessionTokenResponse(fresh.AccessToken, fresh.ExpiresAt)),
            AccessTokenOutcome.Ended => SessionEnded(),
            AccessTokenOutcome.Unavailable => Results.Json(new WebError(WebErrorCodes.ApiUnavailable, "The site cannot reach its API right now; try again shortly."),
                statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => Unauthenticated(),
        };
    }

    /// <summary>Follow (PUT at Api) or unfollow (DELETE) as the signed-in user: 204, or Api's error as <c>{code, message}</c> with its status.</summary>
    private static async Task<IResult> ChangeFollowAsync(
        HttpContext context, CurrentSession session, CrossSiteGuard guard, Func<string, CancellationToken, Task<ApiResult<NoContent>>> call)
    {
        if (await guard.RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        var result = await session.CallAsync(call);
        if (result is null)
        {
            return session.EndedCode is null ? Unauthenticated() : SessionEnded();
        }
        return result.Problem is { } problem
            ? Results.Json(new WebError(problem.Code, problem.Title), statusCode: problem.Status == 0 ? StatusCodes.Status503ServiceUnavailable : problem.Status)
            : Results.NoContent();
    }

    /// <summary>The header's sign-out forms: sign out (this device) or everywhere, then back to the home page.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, CurrentSession session, CrossSiteGuard guard, bool everywhere)
    {
        if (await guard.RefuseAsync(context) is { } refused)
        {
            return refused;
        }
        await session.SignOutAsync(everywhere);
        return Results.Redirect(everywhere ? "/signin?signedOut=everywhere" : "/signin?signedOut=here");
    }

    private static IResult Unauthenticated()
        => Results.Json(new WebError(ApiErrorCodes.Unauthenticated, "Nobody is signed in."), statusCode: StatusCodes.Status401Unauthorized);

    private static IResult SessionEnded()
        => Results.Json(new WebError(WebErrorCodes.SessionEnded, "You were signed out; sign in again."), statusCode: StatusCodes.Status401Unauthorized);
}
