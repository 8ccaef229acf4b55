namespace LiveAspire.Realtime.Connections;

/// <summary>
/// When the process is asked to stop (SIGTERM, a deploy), tell every client to reconnect elsewhere before the
/// sockets close: they land on another replica through the load balancer and resume every room from their last
/// seq, so a rolling restart loses nothing. A bare close would make SignalR clients stop for good.
/// </summary>
public sealed partial class GracefulShutdown(
    ConnectionRegistry registry,
    IHubClients<ILiveClient> clients,
    IOptions<ShutdownOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<GracefulShutdown> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // SignalR closes every connection from an ApplicationStopping callback (registered when the hub was mapped).
        // Stopping callbacks run last-registered first, so registering once the app has started puts ours ahead of
        // it: clients get Reconnect while their sockets still work. Blocking here is bounded by the two timeouts.
        lifetime.ApplicationStarted.Register(() =>
            lifetime.ApplicationStopping.Register(() => DrainAsync(CancellationToken.None).GetAwaiter().GetResult()));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var open = registry.Count;
        if (open == 0)
        {
            return;
        }
        LogAsking(logger, open);
        try
        {
            await clients.All.Reconnect(ReconnectReasons.Shutdown).WaitAsync(options.Value.NotifyTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }
        // Clients close their side on Reconnect; wait (bounded) so most leave cleanly before the server aborts the rest.
        var deadline = DateTime.UtcNow + options.Value.DrainTimeout;
        while (registry.Count > 0 && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }
        LogDrained(logger, open - registry.Count, registry.Count);
    }

    [LoggerMessage(EventId = 3501, Level = LogLevel.Information, Message = "Stopping: asking {Count} connections to reconnect elsewhere")]
    private static partial void LogAsking(ILogger logger, int count);

    [LoggerMessage(EventId = 3502, Level = LogLevel.Information, Message = "Stopping: {Left} connections left, {Remaining} still open")]
    private static partial void LogDrained(ILogger logger, int left, int remaining);
}

/// <summary>Graceful shutdown settings, bound from configuration section <c>Shutdown</c>.</summary>
public sealed class ShutdownOptions
{
    /// <summary>How long sending <c>Reconnect("shutdown")</c> to every connection may take.</summary>
    public TimeSpan NotifyTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long to wait for clients to disconnect after being told to, before the server closes the rest.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
