namespace LiveAspire.Contracts.Channels;

/// <summary>A channel that is live now, as listed by <c>GET /api/channels/live</c>.</summary>
/// <param name="Id">The channel's stable id (also the id of its live room).</param>
/// <param name="Slug">The channel's unique URL name.</param>
/// <param name="DisplayName">The performer's chosen name for the channel.</param>
/// <param name="Title">The current broadcast title; empty when none was set.</param>
/// <param name="Category">The channel's category; empty when none was set.</param>
/// <param name="PerformerName">The username of the channel's performer; null for a channel without one.</param>
public sealed record LiveChannel(Guid Id, string Slug, string DisplayName, string Title, string Category, string? PerformerName);
