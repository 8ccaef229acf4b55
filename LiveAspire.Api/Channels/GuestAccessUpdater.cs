using StackExchange.Redis;

namespace LiveAspire.Api.Channels;

/// <summary>
/// After a change of a channel's <c>allow_anonymous</c> committed: writes the new answer into the validators' cache
/// (<see cref="IGuestChannelStore"/>), so Realtime and Api refuse new guest connections of a channel closed to guests
/// at once (and admit them at once when it opens). If Redis fails, the cached answer still expires within
/// <see cref="GuestChannelStore.CacheTtl"/>. Guests already connected are closed by each Realtime replica's periodic
/// re-check (<c>Revocation:RecheckInterval</c>, read from PostgreSQL), not by a notice.
/// </summary>
public sealed partial class GuestAccessUpdater(IGuestChannelStore guestChannels, ILogger<GuestAccessUpdater> logger)
{
    public async Task AfterCommitAsync(Guid channelId, bool allowsGuests)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await guestChannels.SetAsync(channelId, allowsGuests, timeout.Token);
            LogChanged(logger, channelId, allowsGuests);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            LogCacheFailed(logger, channelId, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "Channel {ChannelId} now allows anonymous viewers: {AllowsGuests}")]
    private static partial void LogChanged(ILogger logger, Guid channelId, bool allowsGuests);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Warning, Message = "Could not update the cached guest access of channel {ChannelId} ({Error}); new guest connections follow the old setting up to 30 s more")]
    private static partial void LogCacheFailed(ILogger logger, Guid channelId, string error);
}
