using System.Text.Json;
using LiveAspire.Rooms;

namespace LiveAspire.Api.Rooms;

/// <summary>Body of <c>POST /api/rooms/{room}/events</c>.</summary>
/// <param name="Type">Event type; admins may only publish <c>system.*</c> types (<see cref="SystemEvents.TypePrefix"/>).</param>
/// <param name="Data">JSON payload.</param>
/// <param name="Id">Optional envelope id: a retry with the same id takes the same seq.</param>
public sealed record PublishEventRequest(string? Type, JsonElement Data, string? Id);

/// <summary>Where the event landed.</summary>
public sealed record PublishEventResponse(string Id, string Room, long Seq, string Epoch, bool Duplicate);

/// <summary>The HTTP-to-WebSocket bridge for administrators: any <c>system.*</c> event into any one room
/// (announcements to many rooms at once: <see cref="AnnouncementsApi"/>).</summary>
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
        SystemEvents.CheckRoom(room, errors);
        SystemEvents.CheckType(request.Type, errors);
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
            return SystemEvents.RedisUnavailable("Redis is unavailable; retry shortly.");
        }
    }
}
