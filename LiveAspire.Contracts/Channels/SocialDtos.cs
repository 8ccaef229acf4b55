namespace LiveAspire.Contracts.Channels;

/// <summary>A follower of a channel (<c>GET /api/channels/{id}/followers</c>).</summary>
public sealed record FollowerDto(Guid UserId, string Username, DateTimeOffset FollowedAt);

/// <summary>A channel the caller follows (<c>GET /api/me/follows</c>).</summary>
public sealed record FollowedChannelDto(Guid ChannelId, string Slug, string DisplayName, bool IsLive, DateTimeOffset FollowedAt);

/// <summary>A subscription record: tier 1 to 3, valid from <see cref="PeriodStart"/> (inclusive) to <see cref="PeriodEnd"/> (exclusive).</summary>
/// <remarks>
/// <c>Source</c>: How it was obtained: <c>admin_grant</c> (payment comes with the wallet).
/// </remarks>
public sealed record SubscriptionDto(
    Guid Id, Guid UserId, Guid ChannelId, int Tier, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, string Source, bool Active);

/// <summary>Body of <c>POST /api/admin/subscriptions</c>. <see cref="PeriodStart"/> defaults to now, <see cref="PeriodEnd"/> to 30 days after it.</summary>
public sealed record GrantSubscriptionRequest(Guid? UserId, Guid? ChannelId, int? Tier, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd);

/// <summary>A channel moderator (<c>GET /api/channels/{id}/moderators</c>).</summary>
public sealed record ModeratorDto(Guid UserId, string Username, DateTimeOffset AppointedAt, Guid? AppointedBy);

/// <summary>The caller's roles in one channel (<c>GET /api/channels/{id}/roles/me</c>), as the role store answers them.</summary>
public sealed record ChannelRolesDto(bool IsOwner, bool IsModerator, bool IsSubscriber, bool IsFollower);
