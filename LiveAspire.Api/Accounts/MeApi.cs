namespace LiveAspire.Api.Accounts;

public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/me").WithTags("Accounts").RequireAuthorization();
        group.MapGet("", GetMe).WithName(nameof(GetMe));
        return group;
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
