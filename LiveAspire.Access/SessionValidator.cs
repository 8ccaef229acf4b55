using System.Security.Claims;
using LiveAspire.ServiceDefaults.Authentication;

namespace LiveAspire.Access;

/// <summary>
/// Rejects tokens of sessions that ended after the token was issued: unknown (deleted) user, banned user, or a
/// token whose <c>sv</c> is below the user's current session version (logout-all, ban, role change, password reset).
/// Overlay tokens (<c>tuse=overlay</c>) are not users: they are accepted only while their key is active, and no
/// user is ever looked up for them.
/// </summary>
public sealed class SessionValidator(ISessionStateStore sessions, IOverlayKeyStore? overlayKeys = null) : ISessionValidator
{
    public async ValueTask<string?> ValidateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.FindFirst(TokenClaims.TokenUse) is { } use)
        {
            return use.Value == TokenUses.Overlay ? await ValidateOverlayAsync(principal, cancellationToken) : "UnknownTokenUse";
        }
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

    private async ValueTask<string?> ValidateOverlayAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (overlayKeys is null)
        {
            return "OverlayTokensNotAccepted";
        }
        if (!Guid.TryParse(principal.FindFirst(TokenClaims.OverlayKeyId)?.Value, out var keyId)
            || !Guid.TryParse(principal.FindFirst(TokenClaims.Channel)?.Value, out var channelId)
            || principal.FindFirst(TokenClaims.Subject)?.Value != TokenClaims.OverlaySubjectPrefix + keyId.ToString("D")
            || principal.HasClaim(c => c.Type is TokenClaims.SessionVersion or TokenClaims.Role))
        {
            return "MalformedOverlayToken";
        }
        return await overlayKeys.GetActiveChannelAsync(keyId, cancellationToken) == channelId ? null : "OverlayKeyInactive";
    }
}
