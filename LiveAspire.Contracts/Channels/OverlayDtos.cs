namespace LiveAspire.Contracts.Channels;

/// <summary>An overlay key's metadata; the secret itself is shown once, in <see cref="OverlayKeySecret"/>.</summary>
public sealed record OverlayKeyDto(Guid Id, Guid ChannelId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, Guid? RotatedFrom, bool Active);

/// <summary>Answer of creating or rotating a key: <see cref="Key"/> is never shown again (only its hash is stored).</summary>
public sealed record OverlayKeySecret(Guid Id, Guid ChannelId, string Key, DateTimeOffset CreatedAt, Guid? RotatedFrom);

/// <summary>Body of <c>POST /api/overlay/token</c>.</summary>
public sealed record OverlayTokenRequest(string? Key);

/// <summary>A short-lived overlay token: it may only resume <c>alerts:{channelId}</c>.</summary>
public sealed record OverlayTokenResponse(string AccessToken, DateTimeOffset AccessTokenExpiresAt, Guid ChannelId);
