using LiveAspire.Rooms;
using LiveAspire.Rooms.Redis;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// Redis outages as this replica's clients live through them (docs/realtime.md, "Redis faults").
/// <list type="bullet">
/// <item><b>Noticed.</b> A probe (a PING bounded by <see cref="RedisClientDefaults.RequestTimeoutMs"/>) every
/// <see cref="DeliveryOptions.RedisProbeMilliseconds"/> notices an outage the connection does not report: a paused
/// or partitioned Redis holds the socket open and answers nothing. Every connected client then gets one
/// <c>Error(redis_unavailable, ..., retryAfterMs)</c> per outage.</item>
/// <item><b>Caught up.</b> When the probe answers again, or the subscription connection is restored (pub/sub messages
/// sent meanwhile are gone), every live member catches up from the hot window (or gets a <c>room.gap</c> if history
/// was lost), so an outage never leaves a silent gap; a join under way runs that catch-up itself before it answers
/// (<see cref="RoomMembership"/>). The catch-up waits until the subscriptions are acknowledged:
/// the client re-subscribes in the background as the connection comes back, and a catch-up read before Redis
/// processed those SUBSCRIBEs would miss what is published between the read and the subscribe. A PING on the
/// subscription connection is answered after every command sent on it before, so its answer means they are done.</item>
/// </list>
/// </summary>
public sealed partial class RedisRecovery(
    IConnectionMultiplexer redis,
    RoomSync sync,
    IHubClients<ILiveClient> clients,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<RedisRecovery> logger) : BackgroundService
{
    private CancellationToken _stopping;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored += OnRestored;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= OnRestored;
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var available = true;
        var interval = TimeSpan.FromMilliseconds(options.Value.RedisProbeMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken);
                var answered = await AnswersAsync(redis.GetDatabase());
                if (available && !answered)
                {
                    available = false;
                    LogUnavailable(logger);
                    await TellEveryClientAsync();
                }
                else if (!available && answered)
                {
                    available = true;
                    LogAvailable(logger);
                    await ResyncWhenSubscribedAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription)
        {
            return;
        }
        LogRestored(logger);
        _ = ResyncWhenSubscribedAsync(_stopping);
    }

    /// <summary>Once a PING on the subscription connection is answered (every re-SUBSCRIBE before it is done), every
    /// live member catches up. Tries again each probe interval while Redis does not answer.</summary>
    private async Task ResyncWhenSubscribedAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.RedisProbeMilliseconds);
        try
        {
            while (!await AnswersAsync(redis.GetSubscriber()))
            {
                await Task.Delay(interval, time, cancellationToken);
            }
            sync.ResyncAll();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task TellEveryClientAsync()
    {
        try
        {
            await clients.All.Error(HubErrorCodes.RedisUnavailable,
                "Redis is unavailable: joins and publishes fail until it is back; delivery resumes by itself.",
                RoomStoreUnavailableException.RetryAfterMs);
        }
        catch (Exception e)
        {
            // A connection closing meanwhile; the others were written to.
            LogNoticeFailed(logger, e.Message);
        }
    }

    private async Task<bool> AnswersAsync(IRedisAsync target)
    {
        try
        {
            await RedisRequests.RunAsync(redis, () => target.PingAsync());
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Redis subscription connection restored; catching up every room once subscribed")]
    private static partial void LogRestored(ILogger logger);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Redis does not answer; telling every connected client (redis_unavailable)")]
    private static partial void LogUnavailable(ILogger logger);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Information, Message = "Redis answers again; catching up every room once subscribed")]
    private static partial void LogAvailable(ILogger logger);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Warning, Message = "Telling clients that Redis is unavailable failed: {Error}")]
    private static partial void LogNoticeFailed(ILogger logger, string error);
}
