namespace LiveAspire.Contracts.Realtime;

/// <summary>Answer to the hub's <c>Ping()</c>: which replica served it, and when.</summary>
/// <param name="Replica">The serving replica's instance id (<c>service.instance.id</c>).</param>
/// <param name="ServerTime">The replica's clock when it answered.</param>
public sealed record PingReply(string Replica, DateTimeOffset ServerTime);
