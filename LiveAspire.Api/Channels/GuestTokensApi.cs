namespace LiveAspire.Api.Channels;

/// <summary>
/// Guests: watching and reading chat need no account where the channel allows anonymous viewers. An anonymous viewer
/// asks for a guest token for one channel; the Realtime hub lets that token read the channel's <c>stream:</c> room
/// and nothing else, and only while the channel still allows guests. There is no refresh token and nothing is
/// stored: a guest renews by asking again.
/// </summary>
public static class GuestTokensApi
{
    public static RouteGroupBuilder MapGuestTokensApi(this IEndpointRouteBuilder api)
    {
        // Anonymous by design (the caller has no account). Each answer costs a query and a signature, and an unbounded
        // supply of fresh guest ids would let one address sidestep Realtime's per-user caps, so the issue is limited
        // per client address.
        var guests = api.MapGroup("/channels").WithTags("Channels").AllowAnonymous().RequireRateLimiting(AccountsExtensions.GuestTokenRateLimit);
        guests.MapPost("/{id:guid}/guest-token", IssueGuestToken).WithName(nameof(IssueGuestToken));
        return guests;
    }

    /// <summary>A guest token for channel <paramref name="id"/>; 404 <c>channel_not_found</c>, 403 <c>guests_not_allowed</c>.</summary>
    public static async Task<Results<Ok<GuestTokenResponse>, ProblemHttpResult>> IssueGuestToken(
        Guid id, LiveDbContext db, AccessTokenIssuer issuer, CancellationToken cancellationToken)
    {
        // PostgreSQL, not the validators' cache: the answer must tell a missing channel from one closed to guests.
        var allowsGuests = await db.Channels.AsNoTracking().Where(c => c.Id == id).Select(c => (bool?)c.AllowAnonymous).FirstOrDefaultAsync(cancellationToken);
        if (allowsGuests is null)
        {
            return ChannelAccess.NotFound();
        }
        if (allowsGuests == false)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, ApiErrorCodes.GuestsNotAllowed, "This channel does not allow anonymous viewers; log in to watch.");
        }
        var token = issuer.IssueGuest(id);
        return TypedResults.Ok(new GuestTokenResponse(token.Token, token.ExpiresAt, id));
    }
}
