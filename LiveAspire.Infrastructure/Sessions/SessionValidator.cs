using System.Security.Claims;
using LiveAspire.Contracts.Auth;
using LiveAspire.ServiceDefaults.Authentication;

namespace LiveAspire.Infrastructure.Sessions;

/// <summary>
/// Rejects tokens of sessions that ended after the token was issued: unknown (deleted) user, banned user, or a
/// token whose <c>sv</c> is below the user's current session version (logout-all, ban, role change, password reset).
/// </summary>
public sealed class SessionValidator(ISessionStateStore sessions) : ISessionValidator
{
    public async ValueTask<string?> ValidateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(principal.FindFirst(TokenClaims.Subject)?.Value, out var userId))
        {
            return "SubjectNotAUserId";
        }
        if (!int.TryParse(principal.FindFirst(TokenClaims.SessionVersion)?.Value, out var tokenVersion))
        {
            return "MissingSessionVersion";
        }
        var state = await sessions.GetAsync(userId, cancellationToken);
        if (state is null)
        {
            return "UnknownUser";
        }
        if (state.Banned)
        {
            return "UserBanned";
        }
        return tokenVersion < state.SessionVersion ? "SessionVersionRevoked" : null;
    }
}
