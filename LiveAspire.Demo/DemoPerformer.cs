using LiveAspire.Contracts.Errors;
using LiveAspire.Demo.Api;

namespace LiveAspire.Demo;

/// <summary>
/// One demo performer, through Api's REST as a streaming tool would drive it: signs in, finds its channel (or creates
/// it, the first time), goes live (or carries on a broadcast an earlier run left open), retitles the broadcast now
/// and then, and ends it when the demo stops. Every step is safe to repeat, so a restart picks up where it was.
/// </summary>
public sealed partial class DemoPerformer(DemoAccount account, DemoApi api, DemoStage stage, DemoMetrics metrics, DemoOptions options,
    ILogger<DemoPerformer> logger)
{
    /// <summary>How long ending the broadcast may take when the demo stops (the system may be stopping too).</summary>
    private static readonly TimeSpan EndTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Wait before trying a step again after Api could not be reached.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private DemoRole Role => account.Role;

    public async Task RunAsync(CancellationToken stopping)
    {
        Guid? channel = null;
        try
        {
            channel = await StepAsync(GoLiveAsync, "go live", stopping);
            stage.WentLive(new LiveDemoChannel(channel.Value, account.UserId!.Value, Role.Username, Role.EmoteCode));
            LogLive(logger, Role.Slug, channel.Value);
            var next = 1;
            while (true)
            {
                await Task.Delay(DemoTimes.Around(options.TitleInterval), stopping);
                var title = Role.Titles[next++ % Role.Titles.Count];
                await StepAsync(async ct => { await RetitleAsync(channel.Value, title, ct); return true; }, "retitle", stopping);
                metrics.TitleUpdated();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is DemoAccountUnavailable or ApiRefusal)
        {
            // Not something waiting fixes (a name taken by someone else, a channel slug owned by another account).
            LogSittingOut(logger, Role.Username, e.Message);
        }
        finally
        {
            if (channel is { } id)
            {
                stage.WentOffline(id);
                await EndAsync(id);
            }
        }
    }

    /// <summary>Runs one step until it succeeds, waiting out an Api that cannot be reached.</summary>
    private async Task<T> StepAsync<T>(Func<CancellationToken, Task<T>> step, string what, CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                return await step(stopping);
            }
            catch (ApiRefusal e) when (e.Status == 401 && !stopping.IsCancellationRequested)
            {
                // The access token was refused before its time (the account was logged out everywhere): renew it.
                account.TokenRefused();
                LogStepFailed(logger, Role.Username, what, e.Message, (int)RetryDelay.TotalSeconds);
                await Task.Delay(RetryDelay, stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested && ApiFailures.IsTransient(e))
            {
                LogStepFailed(logger, Role.Username, what, e.Message, (int)RetryDelay.TotalSeconds);
                await Task.Delay(RetryDelay, stopping);
            }
        }
    }

    private async Task<Guid> GoLiveAsync(CancellationToken cancellationToken)
    {
        var token = await account.AccessTokenAsync(cancellationToken);
        var channel = await api.FindChannelAsync(Role.Slug, cancellationToken) ?? await CreateChannelAsync(token, cancellationToken);
        if (channel.OwnerId != account.UserId)
        {
            throw new DemoAccountUnavailable($"the channel {Role.Slug} belongs to another account");
        }
        // The channel's emote, which its chatters use: uploaded once (an earlier run's is found).
        if (!(await api.ChannelEmoteCodesAsync(channel.Id, cancellationToken)).Contains(Role.EmoteCode))
        {
            try
            {
                await api.UploadEmoteAsync(token, channel.Id, Role.EmoteCode, DemoEmoteImage.Png(Role.EmoteColor), cancellationToken);
            }
            catch (ApiRefusal e) when (e.Code == ApiErrorCodes.EmoteCodeTaken)
            {
            }
        }
        try
        {
            await api.GoLiveAsync(token, channel.Id, new StartStreamRequest(Role.Titles[0], Role.Category), cancellationToken);
        }
        catch (ApiRefusal e) when (e.Code == ApiErrorCodes.StreamAlreadyLive)
        {
            // An earlier run could not end its broadcast (the system stopped with it): carry on with that one.
        }
        return channel.Id;
    }

    private async Task<ChannelDto> CreateChannelAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            var channel = await api.CreateChannelAsync(token, new CreateChannelRequest(Role.Slug, Role.DisplayName, Role.Titles[0], Role.Category,
                "A demo channel: a simulated performer of ./run.sh's demo (docs/demo.md).", null, null, AllowAnonymous: true), cancellationToken);
            LogChannelCreated(logger, Role.Slug);
            return channel;
        }
        catch (ApiRefusal e) when (e.Code == ApiErrorCodes.SlugTaken)
        {
            // Created meanwhile (another demo process over the same database): read it.
            if (await api.FindChannelAsync(Role.Slug, cancellationToken) is { } existing)
            {
                return existing;
            }
            throw;
        }
    }

    private async Task RetitleAsync(Guid channel, string title, CancellationToken cancellationToken)
    {
        var token = await account.AccessTokenAsync(cancellationToken);
        try
        {
            await api.UpdateStreamAsync(token, channel, new UpdateStreamRequest(title, null), cancellationToken);
        }
        catch (ApiRefusal e) when (e.Code == ApiErrorCodes.StreamNotLive)
        {
            // Someone ended the broadcast (an admin, the performer's own site session): go live again with this title.
            await api.GoLiveAsync(token, channel, new StartStreamRequest(title, Role.Category), cancellationToken);
        }
    }

    /// <summary>Ends the broadcast, best effort: when the whole system stops together, Api may be gone already, and
    /// the next run carries the broadcast on.</summary>
    private async Task EndAsync(Guid channel)
    {
        using var timeout = new CancellationTokenSource(EndTimeout);
        try
        {
            await api.EndStreamAsync(await account.AccessTokenAsync(timeout.Token), channel, timeout.Token);
            LogEnded(logger, Role.Slug);
        }
        catch (ApiRefusal e) when (e.Code == ApiErrorCodes.StreamNotLive)
        {
        }
        catch (Exception e) when (e is OperationCanceledException || ApiFailures.IsTransient(e) || e is ApiRefusal or DemoAccountUnavailable)
        {
            LogNotEnded(logger, Role.Slug, e.Message);
        }
    }

    [LoggerMessage(EventId = 8301, Level = LogLevel.Information, Message = "Demo channel {Slug} is live ({ChannelId})")]
    private static partial void LogLive(ILogger logger, string slug, Guid channelId);

    [LoggerMessage(EventId = 8302, Level = LogLevel.Information, Message = "Created the demo channel {Slug}")]
    private static partial void LogChannelCreated(ILogger logger, string slug);

    [LoggerMessage(EventId = 8303, Level = LogLevel.Warning, Message = "Demo performer {Username} could not {Step} ({Reason}); trying again in {Seconds} s")]
    private static partial void LogStepFailed(ILogger logger, string username, string step, string reason, int seconds);

    [LoggerMessage(EventId = 8304, Level = LogLevel.Error, Message = "Demo performer {Username} sits this run out: {Reason}")]
    private static partial void LogSittingOut(ILogger logger, string username, string reason);

    [LoggerMessage(EventId = 8305, Level = LogLevel.Information, Message = "Ended the broadcast of demo channel {Slug}")]
    private static partial void LogEnded(ILogger logger, string slug);

    [LoggerMessage(EventId = 8306, Level = LogLevel.Warning, Message = "Could not end the broadcast of demo channel {Slug} ({Reason}); the next run with the demo carries it on")]
    private static partial void LogNotEnded(ILogger logger, string slug, string reason);
}
