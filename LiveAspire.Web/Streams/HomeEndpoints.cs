using LiveAspire.Contracts.Errors;
using LiveAspire.Web.ApiClient;
using LiveAspire.Web.Sessions;

namespace LiveAspire.Web.Streams;

/// <summary>What the home page's script asks for (docs/web.md, "Pages"): the viewer counts it refreshes.</summary>
public static class HomeEndpoints
{
    public const string ViewersPath = "/home/viewers";

    public static IEndpointRouteBuilder MapHomeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(ViewersPath, GetViewers);
        return app;
    }

    /// <summary>
    /// 200 <c>{"&lt;channelId&gt;": connections}</c> for the live channels the home page shows (the listing's first
    /// page and the user's followed live channels; a count is null when Api could not read it), 503
    /// <c>api_unavailable</c>. A snapshot, refreshed by the page every 15 s: joining every stream room would pull in all
    /// their chat. Never cached.
    /// </summary>
    public static async Task<IResult> GetViewers(HttpContext context, LiveApiClient api, CurrentSession session)
    {
        context.Response.Headers.CacheControl = "no-store";
        var live = api.GetHomeLiveChannelsAsync(context.RequestAborted);
        var followed = session.CallAsync((token, ct) => api.GetMyLiveFollowsAsync(token, ct));
        var page = await live;
        if (page.Value is null)
        {
            return Results.Json(new WebError(WebErrorCodes.ApiUnavailable, "The site cannot reach its API right now; try again shortly."),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        var counts = new Dictionary<string, long?>();
        foreach (var channel in page.Value.Items.Concat((await followed)?.Value ?? []))
        {
            counts[channel.Id.ToString("D")] = channel.Viewers?.Connections;
        }
        return Results.Json(counts);
    }
}
