using System.Text.Json;
using LiveAspire.Contracts.Chat;
using LiveAspire.Contracts.Paging;
using LiveAspire.Data.Chat;

namespace LiveAspire.Api.Chat;

/// <summary>
/// A channel's chat history (docs/chat.md, "History"): the messages as they were published (the stored
/// <c>chat.message</c> payloads), newest first, paged by message id. A client fills its chat from here on open, and
/// again when a resume answers <c>recovered:false</c>. Deleted messages are not served. Open to anyone who may watch
/// (guests read chat too).
/// </summary>
public static class ChatApi
{
    public static RouteGroupBuilder MapChatApi(this IEndpointRouteBuilder api)
    {
        var reads = api.MapGroup("").WithTags("Chat").AllowAnonymous();
        reads.MapGet("/channels/{channelId:guid}/chat", GetChatHistory).WithName(nameof(GetChatHistory));
        return reads;
    }

    /// <summary>Up to <c>limit</c> (1 to 100, default 50) messages older than <c>before</c> (a message id; the newest when
    /// absent), newest first; <c>next</c> is the id to pass as <c>before</c> for the page after, null on the last.</summary>
    public static async Task<Results<Ok<KeysetPage<ChatMessage>>, ValidationProblem, ProblemHttpResult>> GetChatHistory(
        Guid channelId, string? before, int? limit, LiveDbContext db, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var size = Keyset.Limit(limit ?? 50, errors);
        Guid? position = null;
        if (before is not null)
        {
            if (Guid.TryParseExact(before, "D", out var id))
            {
                position = id;
            }
            else
            {
                errors["before"] = ["before must be a message id (the previous page's next)."];
            }
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        if (!await db.Channels.AnyAsync(c => c.Id == channelId, cancellationToken))
        {
            return ChannelAccess.NotFound();
        }
        var rows = await ChatQueries.ReadHistoryAsync(database, channelId, position, size, cancellationToken);
        var items = rows.Take(size).Select(r => JsonSerializer.Deserialize<ChatMessage>(r.Message, JsonSerializerOptions.Web)!).ToList();
        var next = rows.Count > size ? rows[size - 1].Id.ToString("D") : null;
        return TypedResults.Ok(new KeysetPage<ChatMessage>(items, next));
    }
}
