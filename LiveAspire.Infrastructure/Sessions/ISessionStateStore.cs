namespace LiveAspire.Infrastructure.Sessions;

/// <summary>A user's security state: the source of truth is PostgreSQL (<c>users</c>), cached in Redis.</summary>
/// <param name="SessionVersion">Current session version; tokens with a lower <c>sv</c> are revoked.</param>
/// <param name="Banned">Globally banned: no token of this user is accepted.</param>
public sealed record SessionState(int SessionVersion, bool Banned);

/// <summary>
/// Reads a user's <see cref="SessionState"/>: Redis first (key <c>liveaspire:session:{userId}</c>), PostgreSQL on a
/// miss (filling the cache). Not the system of record: Api writes PostgreSQL first, then invalidates the cache and
/// publishes a <c>RevocationNotice</c>. Returns null for an unknown user.
/// </summary>
public interface ISessionStateStore
{
    Task<SessionState?> GetAsync(Guid userId, CancellationToken cancellationToken = default);
}
