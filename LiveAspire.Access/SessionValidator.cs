using System.Security.Claims;
using LiveAspire.ServiceDefaults.Authentication;

namespace LiveAspire.Access;

/// <summary>
/// Rejects tokens of sessions that ended after the token was issued: unknown (deleted) user, banned user, or a
/// token whose <c>sv</c> is below the user's current session version (logout-all, ban, role change, password reset).
/// Overlay tokens (<c>tuse=overlay</c>) are not users: they are accepted only while their key is active, and no
/// user is ever looked up for them. Guest tokens (<c>tuse=guest</c>) are not users either: they are accepted only while
/// their channel exists and allows anonymous viewers.
/// </summary>
public sealed class SessionValidator(ISessionStateStore sessions, IOverlayKeyStore? overlayKeys = null, IGuestChannelStore? guestChannels = null)
    : ISessionValidator
{
    public async ValueTask<string?> ValidateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.FindFirst(TokenClaims.TokenUse) is { } use)
        {
            return use.Value switch
            {
                TokenUses.Overlay => await ValidateOverlayAsync(principal, cancellationToken),
                TokenUses.Guest => await ValidateGuestAsync(principal, cancellationToken),
                _ => "UnknownTokenUse",
            };
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

    private async ValueTask<string?> ValidateGuestAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (guestChannels is null)
        {
            return "GuestTokensNotAccepted";
        }
        if (!Guid.TryParse(principal.FindFirst(TokenClaims.Channel)?.Value, out var channelId)
            || principal.FindFirst(TokenClaims.Subject)?.Value is not { } subject
            || !subject.StartsWith(TokenClaims.GuestSubjectPrefix, StringComparison.Ordinal)
            || !Guid.TryParse(subject.AsSpan(TokenClaims.GuestSubjectPrefix.Length), out _)
            || principal.HasClaim(c => c.Type is TokenClaims.SessionVersion or TokenClaims.Role or TokenClaims.OverlayKeyId))
        {
            return "MalformedGuestToken";
        }
        return await guestChannels.AllowsGuestsAsync(channelId, cancellationToken) ? null : "GuestsNotAllowed";
    }
}
