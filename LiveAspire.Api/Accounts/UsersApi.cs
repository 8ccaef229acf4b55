namespace LiveAspire.Api.Accounts;

/// <summary>
/// Users as any signed-in user may look them up: what a username already shows everyone (in chat, on follower lists)
/// and the id other endpoints take, never an address or a role. A performer finds whom to appoint as moderator this
/// way (the moderator endpoints take a user id).
/// </summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Accounts").RequireAuthorization();
        group.MapGet("/by-name/{username}", GetUserByName).WithName(nameof(GetUserByName));
        return group;
    }

    /// <summary>The user with exactly this username, regardless of case (as logins match it); 404 <c>user_not_found</c>
    /// for a name nobody has, including one that breaks the username rule.</summary>
    public static async Task<Results<Ok<PublicUser>, ProblemHttpResult>> GetUserByName(string username, LiveDbContext db, CancellationToken cancellationToken)
        => AccountRules.NormalizeUsername(username) is { } normalized
           && await db.Users.AsNoTracking().Where(u => u.UsernameNormalized == normalized)
               .Select(u => new PublicUser(u.Id, u.Username)).FirstOrDefaultAsync(cancellationToken) is { } user
            ? TypedResults.Ok(user)
            : ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.UserNotFound, "No user has this username.");
}
