using LiveAspire.Demo.Api;

namespace LiveAspire.Demo;

/// <summary>
/// The demo's cast at work: <see cref="DemoOptions.Performers"/> performers (the first of <see cref="DemoCast"/>)
/// and <see cref="DemoOptions.Viewers"/> viewers, of which <see cref="DemoOptions.SignedInViewers"/> watch with a
/// performer's account and the rest as guests, sharing guest tokens per <see cref="GuestTokens"/>. Runs until the
/// host stops: then every viewer leaves and every performer ends the broadcast.
/// </summary>
public sealed partial class DemoRunner(DemoOptions options, DemoApi api, DemoStage stage, DemoMetrics metrics, Uri hubUrl,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<DemoRunner>();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(_logger, options.Performers, options.Viewers, options.SignedInViewers);
        var accounts = DemoCast.Roles.Take(options.Performers)
            .Select(role => new DemoAccount(role, options.AccountPassword, api, loggers.CreateLogger<DemoAccount>()))
            .ToList();
        var cast = new List<Task>();
        cast.AddRange(accounts.Select(account =>
            new DemoPerformer(account, api, stage, metrics, options, loggers.CreateLogger<DemoPerformer>()).RunAsync(stoppingToken)));
        var households = new List<GuestTokens>();
        for (var number = 0; number < options.Viewers; number++)
        {
            var signedIn = number < options.SignedInViewers;
            GuestTokens? guests = null;
            if (!signedIn)
            {
                var household = (number - options.SignedInViewers) / options.ViewersPerGuestToken;
                if (household == households.Count)
                {
                    households.Add(new GuestTokens(household, api));
                }
                guests = households[household];
            }
            var viewer = new DemoViewer(number + 1, signedIn ? accounts[number % accounts.Count] : null, guests, hubUrl, stage, metrics, options, loggers);
            cast.Add(viewer.RunAsync(stoppingToken));
        }
        return Task.WhenAll(cast);
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information,
        Message = "Demo starting: {Performers} performers, {Viewers} viewers ({SignedIn} of them signed in)")]
    private static partial void LogStarting(ILogger logger, int performers, int viewers, int signedIn);
}
