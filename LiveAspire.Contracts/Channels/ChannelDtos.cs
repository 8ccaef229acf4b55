using System.Text.Json;

namespace LiveAspire.Contracts.Channels;

/// <summary>A channel as <c>/api/channels</c> answers it.</summary>
/// <remarks>
/// <c>OwnerId</c>: The performer who owns it; null for a channel created before channels had owners (admin-managed).
/// <c>Settings</c>: Free-form JSON object of channel settings (chat rules and the like), at most 8 KiB.
/// <c>AllowAnonymous</c>: Whether viewers without an account may watch and read chat.
/// </remarks>
public sealed record ChannelDto(
    Guid Id, string Slug, string DisplayName, string Title, string Category, string Description, string? AvatarUrl,
    JsonElement Settings, bool AllowAnonymous, bool IsLive, Guid? OwnerId, DateTimeOffset CreatedAt);

/// <summary>Body of <c>POST /api/channels</c>: the caller becomes the channel's performer (one channel per performer).</summary>
public sealed record CreateChannelRequest(
    string? Slug, string? DisplayName, string? Title, string? Category, string? Description, string? AvatarUrl,
    JsonElement? Settings, bool? AllowAnonymous);

/// <summary>Body of <c>PATCH /api/channels/{id}</c>: only the fields present change; the slug is stable.</summary>
public sealed record UpdateChannelRequest(
    string? DisplayName, string? Title, string? Category, string? Description, string? AvatarUrl,
    JsonElement? Settings, bool? AllowAnonymous);
