namespace LiveAspire.Contracts.Channels;

/// <summary>One broadcast of a channel; once ended it is the VOD with the same id.</summary>
/// <remarks>
/// <c>DurationSeconds</c>: Whole seconds from start to end; null while live.
/// </remarks>
public sealed record StreamDto(
    Guid Id, Guid ChannelId, string Title, string Category, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, long? DurationSeconds);

/// <summary>Body of <c>POST /api/channels/{id}/streams</c> (go live). Missing values default to the channel's title and category.</summary>
public sealed record StartStreamRequest(string? Title, string? Category);

/// <summary>Body of <c>PATCH /api/channels/{id}/streams/current</c>: only the fields present change.</summary>
public sealed record UpdateStreamRequest(string? Title, string? Category);

/// <summary>Data of <c>stream.started</c>: <c>BroadcastId</c> is the broadcast (later the VOD), <c>ChannelId</c> its channel.</summary>
public sealed record StreamStarted(Guid BroadcastId, Guid ChannelId, string Title, string Category, DateTimeOffset StartedAt);

/// <summary>Data of <c>stream.ended</c>.</summary>
public sealed record StreamEnded(Guid BroadcastId, Guid ChannelId, DateTimeOffset EndedAt, long DurationSeconds);

/// <summary>Data of <c>stream.updated</c>: the metadata after the change.</summary>
public sealed record StreamUpdated(Guid BroadcastId, Guid ChannelId, string Title, string Category);
