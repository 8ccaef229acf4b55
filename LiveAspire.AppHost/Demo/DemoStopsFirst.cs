using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveAspire.AppHost.Demo;

/// <summary>
/// On the AppHost's own shutdown (Ctrl+C), stops the demo before the rest of the system, so that its performers end
/// their broadcasts while Api still answers; otherwise Api and the demo stop together, the broadcasts stay open, and a
/// next run with <c>--demo off</c> would list demo channels as live with nobody behind them. Hosted services stop in
/// the reverse order of their registration, and this one is registered after Aspire's own, so it stops first. Bounded:
/// the demo needs a few seconds (docs/demo.md), and the rest of the shutdown goes on after at most
/// <see cref="Patience"/>.
/// </summary>
internal sealed partial class DemoStopsFirst(DistributedApplicationModel model, ResourceCommandService commands, ILogger<DemoStopsFirst> logger)
    : IHostedService
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var demo = model.Resources.Single(r => r.Name == DemoBuilderExtensions.ResourceName);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Patience);
        try
        {
            var result = await commands.ExecuteCommandAsync(demo, KnownResourceCommands.StopCommand, timeout.Token);
            if (!result.Success)
            {
                LogNotStopped(logger, result.Message ?? "no reason given");
            }
        }
        catch (OperationCanceledException)
        {
            LogNotStopped(logger, $"not stopped within {Patience.TotalSeconds:0} s");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "The demo was not stopped before the rest of the system ({Reason})")]
    private static partial void LogNotStopped(ILogger logger, string reason);
}
