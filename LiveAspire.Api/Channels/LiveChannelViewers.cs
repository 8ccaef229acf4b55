using LiveAspire.Rooms;
using LiveAspire.Rooms.Presence;

namespace LiveAspire.Api.Channels;

/// <summary>
/// Adds each live channel's viewer counts (its <c>stream:</c> room's presence, <see cref="ViewerCounts"/>) to a page of
/// the live-channels listing. The listing's truth is PostgreSQL; the counts are a live decoration, so a Redis that
/// cannot be reached leaves them null (logged) instead of failing the page a home page is built from.
/// </summary>
public sealed partial class LiveChannelViewers(ViewerCounts counts, ILogger<LiveChannelViewers> logger)
{
    /// <summary>The channels with <see cref="LiveChannel.Viewers"/> set, or as they are when Redis is unavailable.</summary>
    public async Task<IReadOnlyList<LiveChannel>> WithCountsAsync(IReadOnlyList<LiveChannel> channels, CancellationToken cancellationToken)
    {
        var rooms = channels.Select(c => RoomName.Stream(c.Id).ToString()).ToList();
        IReadOnlyDictionary<string, Contracts.Realtime.PresenceCount> read;
        try
        {
            read = await counts.ReadAsync(rooms, cancellationToken);
        }
        catch (RoomStoreUnavailableException e)
        {
            LogCountsUnavailable(logger, channels.Count, e.Message);
            return channels;
        }
        return [.. channels.Select((c, i) => c with { Viewers = read[rooms[i]] })];
    }

    [LoggerMessage(EventId = 2801, Level = LogLevel.Warning, Message = "Listed {Count} live channels without viewer counts: {Error}")]
    private static partial void LogCountsUnavailable(ILogger logger, int count, string error);
}
