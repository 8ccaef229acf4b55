namespace LiveAspire.Contracts.Realtime;

/// <summary>Answer to <c>GET /replica</c> on a Realtime replica.</summary>
/// <param name="Replica">The replica's instance id (<c>service.instance.id</c>, or machine name and process id).</param>
/// <param name="StartedAt">When this process started; changes when the replica restarts.</param>
public sealed record ReplicaInfo(string Replica, DateTimeOffset StartedAt);
