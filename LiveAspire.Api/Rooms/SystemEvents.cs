using LiveAspire.Rooms;

namespace LiveAspire.Api.Rooms;

/// <summary>
/// What an administrator may put into rooms through Api, and Api's answer when Redis does not take it: the rules the
/// HTTP bridge (<see cref="RoomsApi"/>) and announcements (<see cref="AnnouncementsApi"/>) share, written once.
/// </summary>
public static class SystemEvents
{
    /// <summary>Administrators publish <c>system.*</c> types only: a forged <c>tip.received</c> would show on overlays.</summary>
    public const string TypePrefix = "system.";

    /// <summary>Adds an error for <paramref name="field"/> unless <paramref name="room"/> is a canonical room name.</summary>
    public static void CheckRoom(string? room, Dictionary<string, string[]> errors, string field = "room")
    {
        if (!RoomName.TryParse(room, out _))
        {
            errors[field] = ["Not a room name (stream:{id}, user:{id}, dm:{a}:{b}, mod:{id}, alerts:{id})."];
        }
    }

    /// <summary>Adds an error for <c>type</c> unless it is a <see cref="TypePrefix"/> type.</summary>
    public static void CheckType(string? type, Dictionary<string, string[]> errors)
    {
        if (type is null || !type.StartsWith(TypePrefix, StringComparison.Ordinal))
        {
            errors["type"] = [$"Administrators publish {TypePrefix}* events only (e.g. {Contracts.Realtime.EventTypes.SystemAnnouncement})."];
        }
    }

    /// <summary>
    /// 503 <c>redis_unavailable</c> with <c>retryAfterMs</c> (docs/errors.md): Redis did not take a publish; the same
    /// request may be sent again (with the same envelope ids, so nothing lands twice). <paramref name="more"/> adds
    /// what the client needs to know beyond that.
    /// </summary>
    public static ProblemHttpResult RedisUnavailable(string title, IReadOnlyDictionary<string, object?>? more = null)
    {
        var extensions = new Dictionary<string, object?>
        {
            [ApiProblems.CodeExtension] = ApiErrorCodes.RedisUnavailable,
            ["retryAfterMs"] = RoomStoreUnavailableException.RetryAfterMs,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, object?>())
        {
            extensions[key] = value;
        }
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: title, extensions: extensions);
    }
}
