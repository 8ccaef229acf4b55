namespace LiveAspire.Access;

/// <summary>
/// Announces a revocation to every replica (Redis channel <c>liveaspire:revocations</c>, camelCase JSON). Call it
/// only after the transaction that bumped the session version committed. At-most-once: a replica that is
/// disconnected at that moment misses it, which is why tokens are also checked against the session version.
/// </summary>
public interface IRevocationPublisher
{
    /// <summary>Publishes <paramref name="notice"/>; throws while Redis is unreachable.</summary>
    Task PublishAsync(RevocationNotice notice, CancellationToken cancellationToken = default);
}
