namespace LiveAspire.Api.Channels;

/// <summary>
/// Object-level checks: who may change a channel's data. The channel's performer may; an admin may where
/// <c>allowAdmin</c> says so; nobody else, whatever their roles elsewhere.
/// </summary>
public static class ChannelAccess
{
    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(TokenClaims.Role, GlobalRoles.Admin);

    /// <summary>The channel (tracked) when <paramref name="user"/> may manage it; otherwise 404 <c>channel_not_found</c> or 403 <c>forbidden</c>.</summary>
    public static async Task<(Channel? Channel, ProblemHttpResult? Problem)> ManageAsync(
        LiveDbContext db, Guid channelId, ClaimsPrincipal user, bool allowAdmin, CancellationToken cancellationToken)
    {
        var channel = await db.Channels.FirstOrDefaultAsync(c => c.Id == channelId, cancellationToken);
        if (channel is null)
        {
            return (null, NotFound());
        }
        var allowed = channel.OwnerId == user.UserId() || (allowAdmin && user.IsAdmin());
        return allowed ? (channel, null) : (null, Forbidden());
    }

    public static ProblemHttpResult NotFound()
        => ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.ChannelNotFound, "No channel has this id.");

    public static ProblemHttpResult Forbidden()
        => ApiProblems.Problem(StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden, "Only the channel's performer (or an admin, where allowed) may do this.");
}
