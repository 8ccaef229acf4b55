using System.Security.Claims;
using LiveAspire.Contracts.Auth;

namespace LiveAspire.Realtime.Edge;

/// <summary>The two cap keys of one hub connection: its user (<c>sub</c>) and its client address.</summary>
public readonly record struct SlotKeys(string User, string Address)
{
    /// <summary>
    /// The keys of the caller of <paramref name="context"/>, or null for an anonymous one (the hub refuses it anyway).
    /// The address is the peer's, or the forwarded one when the peer is a known proxy (forwarded headers ran first).
    /// </summary>
    public static SlotKeys? Of(HttpContext context) =>
        context.User.FindFirstValue(TokenClaims.Subject) is { } subject
            ? new SlotKeys("user:" + subject, "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"))
            : null;
}

/// <summary>
/// Takes and gives back the slots a hub connection holds while it is open, one per cap
/// (<see cref="EdgeOptions.MaxConnectionsPerUser"/>, <see cref="EdgeOptions.MaxConnectionsPerIp"/>).
/// </summary>
public sealed class ConnectionSlots(ConnectionCaps caps, IOptions<EdgeOptions> options)
{
    /// <summary>Whether a new connection would be refused now; <paramref name="full"/> names the cap it would hit.</summary>
    public bool IsFull(SlotKeys keys, out string full)
    {
        var limits = options.Value;
        full = caps.CountOf(keys.User) >= limits.MaxConnectionsPerUser ? keys.User
            : caps.CountOf(keys.Address) >= limits.MaxConnectionsPerIp ? keys.Address
            : "";
        return full.Length > 0;
    }

    /// <summary>Takes both slots, or neither; <paramref name="full"/> names the cap that refused.</summary>
    public bool TryTake(SlotKeys keys, out string full)
    {
        var limits = options.Value;
        if (!caps.TryAcquire(keys.User, limits.MaxConnectionsPerUser))
        {
            full = keys.User;
            return false;
        }
        if (!caps.TryAcquire(keys.Address, limits.MaxConnectionsPerIp))
        {
            caps.Release(keys.User);
            full = keys.Address;
            return false;
        }
        full = "";
        return true;
    }

    public void GiveBack(SlotKeys keys)
    {
        caps.Release(keys.Address);
        caps.Release(keys.User);
    }

    /// <summary>What a log line may say about the cap that refused: the address, never the user id.</summary>
    public static string Loggable(string full) => full.StartsWith("ip:", StringComparison.Ordinal) ? full : "user";
}

/// <summary>
/// Set on a request that holds its connection's slots for as long as it lasts (a WebSocket or an event stream), so the
/// hub's connection handler does not count the connection a second time.
/// </summary>
public sealed record HeldConnectionSlots(SlotKeys Keys);
