using LiveAspire.Contracts.Announcements;
using LiveAspire.Rooms;

namespace LiveAspire.Api.Rooms;

/// <summary>
/// An administrator's announcement (<c>system.announcement</c>, data <c>{text}</c>) into one room or into every live
/// channel's stream room, safe to retry: see <see cref="Announcer"/> and docs/channels.md, "Announcements".
/// </summary>
public static class AnnouncementsApi
{
    public static RouteGroupBuilder MapAnnouncementsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/announcements").WithTags("Admin").RequireAuthorization(AccountsExtensions.AdminPolicy);
        group.MapPost("", Announce).WithName(nameof(Announce));
        return group;
    }

    /// <summary>Registers the <see cref="Announcer"/> (needs <c>AddRooms</c> and <c>FaultHooks</c>).</summary>
    public static TBuilder AddAnnouncements<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<Announcer>();
        return builder;
    }

    /// <summary>
    /// 200 with every room and its seq once every room has the announcement; 503 <c>redis_unavailable</c> naming the
    /// rooms that have it (<c>rooms</c>) and those that do not (<c>failedRooms</c>) when Redis did not take some: the
    /// client sends the same request again. Without a <c>room</c>, the live channels are read at each try, so a retry
    /// also reaches a channel that went live meanwhile.
    /// </summary>
    public static async Task<Results<Ok<AnnouncementResponse>, ValidationProblem, ProblemHttpResult>> Announce(
        AnnouncementRequest request, LiveDbContext db, Announcer announcer, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!AnnouncementRules.IsValidId(request.AnnouncementId))
        {
            errors["announcementId"] = [AnnouncementRules.IdRule];
        }
        var text = AnnouncementRules.Text(request.Text);
        if (text is null)
        {
            errors["text"] = [AnnouncementRules.TextRule];
        }
        if (request.Room is not null)
        {
            SystemEvents.CheckRoom(request.Room, errors);
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        IReadOnlyList<string> rooms = request.Room is { } room
            ? [room]
            : [.. (await db.Channels.AsNoTracking().Where(c => c.IsLive).Select(c => c.Id).ToListAsync(cancellationToken))
                .Select(id => RoomName.Stream(id).ToString())];
        var outcome = await announcer.AnnounceAsync(request.AnnouncementId!, text!, rooms, cancellationToken);
        return outcome.Failed.Count == 0
            ? TypedResults.Ok(new AnnouncementResponse(request.AnnouncementId!, outcome.Announced))
            : SystemEvents.RedisUnavailable("Redis did not take the announcement in every room; send the same request again.",
                new Dictionary<string, object?>
                {
                    ["announcementId"] = request.AnnouncementId,
                    ["rooms"] = outcome.Announced,
                    ["failedRooms"] = outcome.Failed,
                });
    }
}
