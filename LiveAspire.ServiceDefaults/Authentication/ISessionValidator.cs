using System.Security.Claims;

namespace LiveAspire.ServiceDefaults.Authentication;

/// <summary>
/// Optional check run after a token's signature, issuer, audience and lifetime are valid: a service that registers
/// one can reject tokens of revoked sessions (an old session version, a banned user). Return null to accept, or a
/// short reason (logged, never shown with the token) to reject.
/// </summary>
public interface ISessionValidator
{
    ValueTask<string?> ValidateAsync(ClaimsPrincipal principal, CancellationToken cancellationToken);
}
