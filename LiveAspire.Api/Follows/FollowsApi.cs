using LiveAspire.Contracts.Paging;

namespace LiveAspire.Api.Follows;

/// <summary>Follow and unfollow (idempotent), a channel's followers (performer or admin) and the caller's follows.</summary>
public static class FollowsApi
{
    public static RouteGroupBuilder MapFollowsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Follows").RequireAuthorization();
        group.MapPut("/channels/{id:guid}/follow", FollowChannel).WithName(nameof(FollowChannel));
        group.MapDelete("/channels/{id:guid}/follow", UnfollowChannel).WithName(nameof(UnfollowChannel));
        group.MapGet("/channels/{id:guid}/followers", ListFollowers).WithName(nameof(ListFollowers));
        group.MapGet("/me/follows", ListMyFollows).WithName(nameof(ListMyFollows));
        group.MapGet("/me/follows/live", ListMyLiveFollows).WithName(nameof(ListMyLiveFollows));
        return group;
    }

    /// <summary>At most this many followed live channels are answered (a user following more sees the first by slug).</summary>
    public const int MaxLiveFollows = 100;

    /// <summary>
    /// The live channels the caller follows, by slug, as the live listing describes them: the home page lists them
    /// first, whichever page of <c>GET /api/channels/live</c> they fall on.
    /// </summary>
    public static async Task<Ok<IReadOnlyList<LiveChannel>>> ListMyLiveFollows(
        ClaimsPrincipal user, LiveDbContext db, LiveChannelViewers viewers, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var rows = await db.Channels.AsNoTracking()
            .Where(c => c.IsLive && db.Follows.Any(f => f.UserId == userId && f.ChannelId == c.Id))
            .OrderBy(c => c.Slug).Take(MaxLiveFollows)
            .Select(Channel.ToLiveChannel(db.Users))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(await viewers.WithCountsAsync(rows, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> FollowChannel(
        Guid id, ClaimsPrincipal user, LiveDbContext db, IChannelRoleNotifier roles, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var channel = await db.Channels.AsNoTracking().Where(c => c.Id == id).Select(c => new { c.OwnerId }).FirstOrDefaultAsync(cancellationToken);
        if (channel is null)
        {
            return ChannelAccess.NotFound();
        }
        if (channel.OwnerId == userId)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, ApiErrorCodes.CannotTargetSelf, "A performer cannot follow their own channel.");
        }
        // Following twice keeps the first follow date.
        var added = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO follows (user_id, channel_id) VALUES ({userId}, {id}) ON CONFLICT DO NOTHING", cancellationToken);
        if (added > 0)
        {
            await roles.RolesChangedAsync(id, userId);
        }
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> UnfollowChannel(
        Guid id, ClaimsPrincipal user, LiveDbContext db, IChannelRoleNotifier roles, CancellationToken cancellationToken)
    {
        if (!await db.Channels.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ChannelAccess.NotFound();
        }
        var userId = user.UserId();
        if (await db.Follows.Where(f => f.UserId == userId && f.ChannelId == id).ExecuteDeleteAsync(cancellationToken) > 0)
        {
            await roles.RolesChangedAsync(id, userId);
        }
        return TypedResults.NoContent();
    }

    /// <summary>Newest followers first, keyset-paged on (followed_at, user_id). The performer or an admin: who follows is not public.</summary>
    public static async Task<Results<Ok<KeysetPage<FollowerDto>>, ValidationProblem, ProblemHttpResult>> ListFollowers(
        Guid id, int? limit, string? after, ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (size, position) = Keyset.Read(limit, after, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: true, cancellationToken);
        if (channel is null)
        {
            return problem!;
        }
        var (at, last) = position ?? (DateTimeOffset.MaxValue, Guid.Empty);
        var rows = await db.Database.SqlQuery<FollowerDto>($"""
            SELECT f.user_id AS "UserId", u.username AS "Username", f.followed_at AS "FollowedAt"
            FROM follows f JOIN users u ON u.id = f.user_id
            WHERE f.channel_id = {id} AND ({position is null} OR (f.followed_at, f.user_id) < ({at}, {last}))
            ORDER BY f.followed_at DESC, f.user_id DESC LIMIT {size + 1}
            """).ToListAsync(cancellationToken);
        var next = rows.Count > size ? Keyset.Cursor(rows[size - 1].FollowedAt, rows[size - 1].UserId) : null;
        return TypedResults.Ok(new KeysetPage<FollowerDto>(rows.Take(size).ToList(), next));
    }

    /// <summary>The caller's followed channels, most recent follow first, keyset-paged on (followed_at, channel_id).</summary>
    public static async Task<Results<Ok<KeysetPage<FollowedChannelDto>>, ValidationProblem>> ListMyFollows(
        int? limit, string? after, ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (size, position) = Keyset.Read(limit, after, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var userId = user.UserId();
        var (at, last) = position ?? (DateTimeOffset.MaxValue, Guid.Empty);
        var rows = await db.Database.SqlQuery<FollowedChannelDto>($"""
            SELECT c.id AS "ChannelId", c.slug AS "Slug", c.display_name AS "DisplayName", c.is_live AS "IsLive", f.followed_at AS "FollowedAt"
            FROM follows f JOIN channels c ON c.id = f.channel_id
            WHERE f.user_id = {userId} AND ({position is null} OR (f.followed_at, f.channel_id) < ({at}, {last}))
            ORDER BY f.followed_at DESC, f.channel_id DESC LIMIT {size + 1}
            """).ToListAsync(cancellationToken);
        var next = rows.Count > size ? Keyset.Cursor(rows[size - 1].FollowedAt, rows[size - 1].ChannelId) : null;
        return TypedResults.Ok(new KeysetPage<FollowedChannelDto>(rows.Take(size).ToList(), next));
    }
}
