namespace LiveAspire.Access;

/// <summary>
/// Announces a revocation to every replica (Redis channels <c>liveaspire:revocations</c> and
/// <c>liveaspire:overlay-key-revocations</c>, camelCase JSON). Call it only after the transaction that bumped the session
/// version (or revoked the overlay key) committed. At-most-once: a replica that is disconnected at that moment misses
/// it, which is why tokens are also checked against the session version and the key at connect, and why every
/// replica re-checks its open connections every <c>Revocation:RecheckInterval</c> (docs/realtime.md).
/// </summary>
public interface IRevocationPublisher
{
    /// <summary>Publishes <paramref name="notice"/>; throws while Redis is unreachable.</summary>
    Task PublishAsync(RevocationNotice notice, CancellationToken cancellationToken = default);

    /// <summary>Publishes <paramref name="notice"/> (an overlay key revoked or rotated); throws while Redis is unreachable.</summary>
    Task PublishAsync(OverlayKeyRevocationNotice notice, CancellationToken cancellationToken = default);
}
