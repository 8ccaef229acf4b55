namespace LiveAspire.Contracts.Channels;

/// <summary>
/// Answer of <c>POST /api/channels/{id}/guest-token</c>: a short-lived guest token that may only read
/// <c>stream:{channelId}</c>. Ask again before <see cref="AccessTokenExpiresAt"/> to renew (there is no refresh token).
/// </summary>
public sealed record GuestTokenResponse(string AccessToken, DateTimeOffset AccessTokenExpiresAt, Guid ChannelId);
