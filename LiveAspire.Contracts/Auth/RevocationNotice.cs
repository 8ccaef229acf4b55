namespace LiveAspire.Contracts.Auth;

/// <summary>
/// Published by Api on Redis channel <c>liveaspire:revocations</c> after it bumped a user's session version in
/// PostgreSQL (log out everywhere, global ban, global role change, password reset). Every Realtime replica closes that user's
/// connections whose token carries an older session version.
/// </summary>
/// <param name="UserId">Whose sessions end.</param>
/// <param name="SessionVersion">The new current version: tokens with a lower <c>sv</c> are revoked.</param>
/// <param name="Reason">One of <see cref="RevocationReasons"/> (<c>logout_all</c>, <c>banned</c>, <c>role_changed</c>, <c>password_reset</c>); passed to clients in <c>Revoked(reason)</c>.</param>
public sealed record RevocationNotice(Guid UserId, int SessionVersion, string Reason);
