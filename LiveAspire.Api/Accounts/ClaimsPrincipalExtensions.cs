namespace LiveAspire.Api.Accounts;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The user id of an authenticated request. The JWT handler and session validator already rejected any token without a UUID <c>sub</c>.</summary>
    public static Guid UserId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirst(TokenClaims.Subject)!.Value);
}
