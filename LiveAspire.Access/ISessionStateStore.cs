namespace LiveAspire.Access;

/// <summary>
/// Reads a user's <see cref="SessionState"/>: Redis first (key <c>liveaspire:session:{userId}</c>), PostgreSQL on a
/// miss (filling the cache). Not the system of record: Api writes PostgreSQL first, then invalidates the cache and
/// publishes a <c>RevocationNotice</c>. Returns null for an unknown user.
/// </summary>
public interface ISessionStateStore
{
    Task<SessionState?> GetAsync(Guid userId, CancellationToken cancellationToken = default);
}
