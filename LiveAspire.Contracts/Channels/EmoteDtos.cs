namespace LiveAspire.Contracts.Channels;

/// <summary>An emote; the image is at <see cref="ImageUrl"/> (cacheable, with an ETag).</summary>
/// <remarks>
/// <c>ChannelId</c>: Null for a global emote.
/// </remarks>
public sealed record EmoteDto(Guid Id, Guid? ChannelId, string Code, string ContentType, string ImageUrl, DateTimeOffset CreatedAt);
