namespace LiveAspire.Contracts.Channels;

/// <summary>
/// Published by Api on Redis channel <c>liveaspire:channel-roles</c> (camelCase JSON) after a change of a user's
/// per-channel role (moderator appointed or removed, subscription granted) committed and the cached roles were
/// deleted. Realtime replicas re-read the user's roles in that channel and apply them to open connections.
/// At-most-once: the role cache's TTL bounds how long a missed notice can matter.
/// </summary>
/// <param name="ChannelId">The channel whose roles changed.</param>
/// <param name="UserId">The user whose roles in it changed.</param>
public sealed record ChannelRoleChanged(Guid ChannelId, Guid UserId);
