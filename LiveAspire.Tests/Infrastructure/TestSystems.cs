using LiveAspire.AppHost.Hosting;

namespace LiveAspire.Tests.Infrastructure;

/// <summary>What every test-started system shares: its own folder and port block, Testing, no build, quiet.</summary>
public static class TestSystems
{
    public static string NewStateDirectory() => Path.Combine(Path.GetTempPath(), $"liveaspire-test-{Guid.NewGuid():N}");

    public static void Apply(DistributedApplicationOptions options, string stateDirectory)
    {
        var (start, end) = TestPorts.NextBlock();
        options.StateDirectory = stateDirectory;
        options.PortRangeStart = start;
        options.PortRangeEnd = end;
        options.DashboardPort = 0;
        options.NoBuild = true;
        options.EnvironmentName = "Testing";
        options.ConsoleOutput = false;
    }

    /// <summary>Runs AppHost.cs's entry point under <paramref name="hook"/> and returns the application it builds.</summary>
    public static Task<DistributedApplication> RunAppHostAsync(DistributedApplicationTestingHook hook)
    {
        var entryPoint = typeof(DistributedApplication).Assembly.EntryPoint!;
        return hook.RunEntryPointAsync(() =>
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            return result as Task ?? Task.CompletedTask;
        }, TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts <paramref name="app"/> within the deadline, or stops what did start and rethrows.</summary>
    public static async Task StartOrCleanUpAsync(DistributedApplication app, Func<Task> cleanUp)
    {
        using var cts = new CancellationTokenSource(AppHostFixture.StartTimeout);
        try
        {
            await app.StartAsync(cts.Token);
        }
        catch
        {
            await cleanUp();
            throw;
        }
    }
}
