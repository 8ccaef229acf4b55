using System.Text.Json;
using LiveAspire.Rooms;

namespace LiveAspire.Api.Rooms;

/// <summary>Body of <c>POST /api/rooms/{room}/events</c>.</summary>
/// <param name="Type">Event type; admins may only publish <c>system.*</c> types (a forged <c>tip.received</c> would show on overlays).</param>
/// <param name="Data">JSON payload.</param>
/// <param name="Id">Optional envelope id: a retry with the same id takes the same seq.</param>
public sealed record PublishEventRequest(string? Type, JsonElement Data, string? Id);

/// <summary>Where the event landed.</summary>
public sealed record PublishEventResponse(string Id, string Room, long Seq, string Epoch, bool Duplicate);

/// <summary>The HTTP-to-WebSocket bridge for administrators: system announcements into any room.</summary>
public static class RoomsApi
{
    public static RouteGroupBuilder MapRoomsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/rooms").WithTags("Rooms")
            .RequireAuthorization(Accounts.AccountsExtensions.AdminPolicy);
        group.MapPost("/{room}/events", PublishAsync);
        return group;
    }

    public static async Task<Results<Ok<PublishEventResponse>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        string room, PublishEventRequest request, IRoomPublisher publisher, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!RoomName.TryParse(room, out _))
        {
            errors["room"] = ["Not a room name (stream:{id}, user:{id}, dm:{a}:{b}, mod:{id}, alerts:{id})."];
        }
        if (request.Type is not { } type || !type.StartsWith("system.", StringComparison.Ordinal))
        {
            errors["type"] = ["Administrators publish system.* events only (e.g. system.announcement)."];
        }
        if (request.Data.ValueKind is JsonValueKind.Undefined)
        {
            errors["data"] = ["A JSON payload is required."];
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The event was not published.");
        }
        try
        {
            var result = await publisher.PublishAsync(room, request.Type!, request.Data, request.Id, cancellationToken);
            return TypedResults.Ok(new PublishEventResponse(result.Id, result.Room, result.Seq, result.Epoch, result.Duplicate));
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["event"] = [e.Message] }, title: "The event was not published.");
        }
        catch (RoomStoreUnavailableException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Redis is unavailable; retry shortly.",
                extensions: new Dictionary<string, object?> { [Http.ApiProblems.CodeExtension] = Contracts.Errors.ApiErrorCodes.RedisUnavailable, ["retryAfterMs"] = RoomStoreUnavailableException.RetryAfterMs });
        }
    }
}
