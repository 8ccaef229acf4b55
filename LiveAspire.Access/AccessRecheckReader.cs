namespace LiveAspire.Access;

/// <summary>
/// The periodic re-check of open connections (Realtime's <c>SessionRecheck</c>) reads here: session states, overlay
/// keys and guest channels of many users, keys and channels at once, straight from PostgreSQL, never from the Redis cache.
/// </summary>
/// <remarks>
/// Why not the cache: the re-check exists to repair a revocation whose notice was lost, and what loses a notice (a
/// Redis blip while Api publishes) also loses Api's write-through of the new state into the cache that follows the
/// commit (SessionRevoker, OverlayKeyRevoker). The cached entry then says "not revoked" for up to its TTL (10 min for
/// sessions, 30 s for overlay keys), longer than the re-check's bound. PostgreSQL is the system of record and the
/// commit happened before any notice, so reading it bounds the repair by the interval alone. It stays cheap: one
/// query per slice of the interval for all the users (and one for all the overlay keys) in that slice, whatever their
/// number of connections.
/// </remarks>
public sealed class AccessRecheckReader(NpgsqlDataSource dataSource)
{
    /// <summary>Each existing user's state; a deleted user is absent.</summary>
    public Task<Dictionary<Guid, SessionState>> ReadSessionStatesAsync(IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken) =>
        AccessQueries.ReadSessionStatesAsync(dataSource, userIds, cancellationToken);

    /// <summary>Each active key's channel; a revoked, rotated or unknown key is absent.</summary>
    public Task<Dictionary<Guid, Guid>> ReadActiveOverlayKeysAsync(IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken) =>
        AccessQueries.ReadActiveOverlayKeyChannelsAsync(dataSource, keyIds, cancellationToken);

    /// <summary>Which of the channels exist and allow anonymous viewers; a closed or deleted channel is absent.</summary>
    public Task<HashSet<Guid>> ReadChannelsAllowingGuestsAsync(IReadOnlyCollection<Guid> channelIds, CancellationToken cancellationToken) =>
        AccessQueries.ReadChannelsAllowingGuestsAsync(dataSource, channelIds, cancellationToken);
}
