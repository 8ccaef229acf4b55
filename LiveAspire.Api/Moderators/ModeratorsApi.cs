namespace LiveAspire.Api.Moderators;

/// <summary>
/// The performer (or an admin) appoints and removes moderators; each change, once committed, invalidates the
/// user's cached roles and tells Realtime (IChannelRoleNotifier), so it applies to open connections.
/// </summary>
public static class ModeratorsApi
{
    public static RouteGroupBuilder MapModeratorsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/channels/{id:guid}/moderators").WithTags("Moderators").RequireAuthorization();
        group.MapGet("", ListModerators).WithName(nameof(ListModerators));
        group.MapPut("/{userId:guid}", AppointModerator).WithName(nameof(AppointModerator));
        group.MapDelete("/{userId:guid}", RemoveModerator).WithName(nameof(RemoveModerator));
        return group;
    }

    /// <summary>The channel's moderators, in appointment order (a channel has few). The performer, its moderators and admins.</summary>
    public static async Task<Results<Ok<List<ModeratorDto>>, ProblemHttpResult>> ListModerators(
        Guid id, ClaimsPrincipal user, LiveDbContext db, IChannelRoleStore roles, CancellationToken cancellationToken)
    {
        if (!await db.Channels.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ChannelAccess.NotFound();
        }
        if (!user.IsAdmin() && !(await roles.GetAsync(id, user.UserId(), cancellationToken)).CanModerate)
        {
            return ChannelAccess.Forbidden();
        }
        var moderators = await db.ChannelModerators.AsNoTracking().Where(m => m.ChannelId == id)
            .OrderBy(m => m.AppointedAt).ThenBy(m => m.UserId).Take(1000)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new ModeratorDto(m.UserId, u.Username, m.AppointedAt, m.AppointedBy))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(moderators);
    }

    /// <summary>Idempotent: appointing a moderator again keeps the first appointment.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> AppointModerator(
        Guid id, Guid userId, ClaimsPrincipal user, LiveDbContext db, IChannelRoleNotifier roles, CancellationToken cancellationToken)
    {
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: true, cancellationToken);
        if (channel is null)
        {
            return problem!;
        }
        if (channel.OwnerId == userId)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, ApiErrorCodes.CannotTargetSelf, "The performer already has every moderator right.");
        }
        if (!await db.Users.AnyAsync(u => u.Id == userId, cancellationToken))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.UserNotFound, "No user has this id.");
        }
        var appointedBy = user.UserId();
        var added = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO channel_moderators (channel_id, user_id, appointed_by) VALUES ({id}, {userId}, {appointedBy}) ON CONFLICT DO NOTHING",
            cancellationToken);
        if (added > 0)
        {
            await roles.RolesChangedAsync(id, userId);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveModerator(
        Guid id, Guid userId, ClaimsPrincipal user, LiveDbContext db, IChannelRoleNotifier roles, CancellationToken cancellationToken)
    {
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: true, cancellationToken);
        if (channel is null)
        {
            return problem!;
        }
        if (await db.ChannelModerators.Where(m => m.ChannelId == id && m.UserId == userId).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.ModeratorNotFound, "This user is not a moderator of the channel.");
        }
        await roles.RolesChangedAsync(id, userId);
        return TypedResults.NoContent();
    }
}
