namespace LiveAspire.Api.Accounts;

public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/me").WithTags("Accounts").RequireAuthorization();
        group.MapGet("", GetMe).WithName(nameof(GetMe));
        group.MapGet("/channel", GetMyChannel).WithName(nameof(GetMyChannel));
        return group;
    }

    /// <summary>The caller's own channel (a performer has at most one): the dashboard starts from it; 404 <c>channel_not_found</c> when they have none yet.</summary>
    public static async Task<Results<Ok<ChannelDto>, ProblemHttpResult>> GetMyChannel(ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var id = user.UserId();
        return await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.OwnerId == id, cancellationToken) is { } channel
            ? TypedResults.Ok(channel.ToDto())
            : ChannelAccess.NotFound();
    }

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var id = user.UserId();
        var me = await db.Users.AsNoTracking().Where(u => u.Id == id).FirstOrDefaultAsync(cancellationToken);
        return me is null
            ? ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.UserNotFound, "This user no longer exists.")
            : TypedResults.Ok(me.ToMe());
    }
}
