using Microsoft.Extensions.Hosting;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>What every test-started system shares: its own state folder and port block, the Testing environment.</summary>
public static class TestSystems
{
    /// <summary>How long a system may take from start to every part healthy (about 15 s on an idle machine).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    public static string NewStateDirectory() => Path.Combine(Path.GetTempPath(), $"liveaspire-test-{Guid.NewGuid():N}");

    /// <summary>
    /// The AppHost's switches for a test system: its own folder and port block, the block's last three ports for the
    /// dashboard (the AppHost refuses to start when they are taken, even where the harness runs no dashboard).
    /// </summary>
    public static string[] Args(string stateDirectory)
    {
        var (start, end) = TestPorts.NextBlock();
        return ["--state-dir", stateDirectory, "--port-range-start", $"{start}", "--port-range-end", $"{end - 3}", "--dashboard-port", $"{end - 2}"];
    }

    /// <summary>Every project runs in the Testing environment (fault hooks honoured, Testing-only routes mapped).</summary>
    public static void Configure(Aspire.Hosting.DistributedApplicationOptions options, HostApplicationBuilderSettings settings)
    {
        settings.EnvironmentName = "Testing";
        // The processes' output stays in the system (LogLinesAsync reads it); the test log is for the tests.
        options.EnableResourceLogging = false;
        settings.Configuration ??= new();
        settings.Configuration["Logging:LogLevel:Default"] = "Warning";
        settings.Configuration["Logging:LogLevel:Aspire.Hosting.Dcp"] = "Error";
        // Health checks fail while parts start and stop; the harness waits for health itself.
        settings.Configuration["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None";
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test run over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
