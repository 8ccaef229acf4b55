using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Claims;
using LiveAspire.Contracts.Auth;

namespace LiveAspire.Realtime.Access;

/// <summary>
/// What a guest may call: a hub method marked <see cref="AllowGuestsAttribute"/> (reading its channel's stream room,
/// answering heartbeats, ping), nothing else. Any other call from a guest connection fails with
/// <c>guest_forbidden: ...</c> before the method runs, so it changes nothing. Which rooms a guest may read is
/// <see cref="RoomAccess"/>'s decision, not this filter's.
/// </summary>
public sealed class GuestMethodFilter : IHubFilter
{
    // Reflection once per method, not per call.
    private readonly ConcurrentDictionary<MethodInfo, bool> _allowed = new();

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (IsGuest(invocationContext.Context.User)
            && !_allowed.GetOrAdd(invocationContext.HubMethod, m => m.GetCustomAttribute<AllowGuestsAttribute>() is not null))
        {
            throw new HubException($"{HubErrorCodes.GuestForbidden}: guests may only watch; log in to {invocationContext.HubMethodName}");
        }
        return next(invocationContext);
    }

    /// <summary>Whether the caller's validated token is a guest token.</summary>
    public static bool IsGuest(ClaimsPrincipal? user) => user?.HasClaim(TokenClaims.TokenUse, TokenUses.Guest) == true;
}
