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
/// (<see cref="EdgeOptions.MaxConnectionsPerUser"/>, <see cref="EdgeOptions.MaxConnectionsPerIp"/>,
/// <see cref="EdgeOptions.MaxConnectionsPerReplica"/>).
/// </summary>
public sealed class ConnectionSlots(ConnectionCaps caps, IOptions<EdgeOptions> options)
{
    /// <summary>What <c>full</c> says when the replica's own cap refused (not a user's or an address's).</summary>
    public const string Replica = "replica";

    // The replica's count is one integer, not a key of the caps' dictionary: every connection takes and gives it back.
    private int _replica;

    /// <summary>Open hub connections this replica counts now (each holds a slot of every cap).</summary>
    public int ReplicaCount => Volatile.Read(ref _replica);

    /// <summary>Whether a new connection would be refused now; <paramref name="full"/> names the cap it would hit.</summary>
    public bool IsFull(SlotKeys keys, out string full)
    {
        var limits = options.Value;
        full = caps.CountOf(keys.User) >= limits.MaxConnectionsPerUser ? keys.User
            : caps.CountOf(keys.Address) >= limits.MaxConnectionsPerIp ? keys.Address
            : ReplicaCount >= limits.MaxConnectionsPerReplica ? Replica
            : "";
        return full.Length > 0;
    }

    /// <summary>Takes every slot, or none; <paramref name="full"/> names the cap that refused (the user's and the
    /// address's are tried first: a client over its own cap learns that, whatever the replica's state).</summary>
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
        if (Interlocked.Increment(ref _replica) > limits.MaxConnectionsPerReplica)
        {
            Interlocked.Decrement(ref _replica);
            caps.Release(keys.Address);
            caps.Release(keys.User);
            full = Replica;
            return false;
        }
        full = "";
        return true;
    }

    public void GiveBack(SlotKeys keys)
    {
        Interlocked.Decrement(ref _replica);
        caps.Release(keys.Address);
        caps.Release(keys.User);
    }

    /// <summary>What a log line may say about the cap that refused: the address or the replica, never the user id.</summary>
    public static string Loggable(string full) => full.StartsWith("ip:", StringComparison.Ordinal) || full == Replica ? full : "user";
}

/// <summary>
/// Set on a request that holds its connection's slots for as long as it lasts (a WebSocket or an event stream), so the
/// hub's connection handler does not count the connection a second time.
/// </summary>
public sealed record HeldConnectionSlots(SlotKeys Keys);
