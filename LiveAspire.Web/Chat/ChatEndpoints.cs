using LiveAspire.Contracts.Errors;
using LiveAspire.Web.ApiClient;
using LiveAspire.Web.Sessions;

namespace LiveAspire.Web.Chat;

/// <summary>
/// What the chat panel's script asks the site for (docs/web.md, "The chat panel"), so the browser never needs Api's
/// address: a page of a channel's chat history, and emote images, served from the site's own origin (its policy loads
/// images from nowhere else).
/// </summary>
public static class ChatEndpoints
{
    public const string HistoryPath = "/channels/{channelId:guid}/chat";

    public const string EmoteImagePath = "/emotes/{emoteId:guid}/image";

    /// <summary>How long a browser keeps an emote image: they never change under an id.</summary>
    private static readonly TimeSpan ImageMaxAge = TimeSpan.FromDays(7);

    public static IEndpointRouteBuilder MapChatEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(HistoryPath, GetHistory);
        app.MapGet(EmoteImagePath, GetEmoteImage);
        return app;
    }

    /// <summary>
    /// Api's <c>GET /api/channels/{id}/chat</c> as it answers: 200 <c>{items, next}</c> (newest first, 50 a page,
    /// <c>before</c> a message id), its refusal as <c>{code, message}</c>, or 503 <c>api_unavailable</c>. Never cached.
    /// </summary>
    public static async Task<IResult> GetHistory(Guid channelId, Guid? before, HttpContext context, LiveApiClient api)
    {
        context.Response.Headers.CacheControl = "no-store";
        var result = await api.GetChatHistoryAsync(channelId, before, context.RequestAborted);
        if (result.Succeeded)
        {
            return Results.Json(result.Value);
        }
        var problem = result.Problem;
        return problem is null || problem.Status == 0
            ? Results.Json(new WebError(WebErrorCodes.ApiUnavailable, "The site cannot reach its API right now; try again shortly."),
                statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Json(new WebError(problem.Code, problem.Title), statusCode: problem.Status);
    }

    /// <summary>An emote's image, from Api, cacheable for a week (an id's image never changes); 404 when there is none.</summary>
    public static async Task<IResult> GetEmoteImage(Guid emoteId, HttpContext context, LiveApiClient api)
    {
        if (await api.GetEmoteImageAsync(emoteId, context.RequestAborted) is not { } image)
        {
            return Results.NotFound();
        }
        context.Response.Headers.CacheControl = $"public, max-age={(int)ImageMaxAge.TotalSeconds}, immutable";
        return Results.Bytes(image.Bytes, image.ContentType);
    }
}
