using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Contracts.Channels;

/// <summary>A channel that is live now, as listed by <c>GET /api/channels/live</c>.</summary>
/// <param name="Id">The channel's stable id (also the id of its live room).</param>
/// <param name="Slug">The channel's unique URL name.</param>
/// <param name="DisplayName">The performer's chosen name for the channel.</param>
/// <param name="Title">The current broadcast title; empty when none was set.</param>
/// <param name="Category">The channel's category; empty when none was set.</param>
/// <param name="PerformerName">The username of the channel's performer; null for a channel without one.</param>
/// <param name="Viewers">Who watches its live room now, across every Realtime replica: the figures a
/// <c>presence.count</c> event carries (show <c>connections</c> as the viewer count). Null when the counts could not
/// be read (Redis unavailable): the listing is answered all the same.</param>
public sealed record LiveChannel(Guid Id, string Slug, string DisplayName, string Title, string Category, string? PerformerName, PresenceCount? Viewers = null);
