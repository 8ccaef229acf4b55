using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using LiveAspire.AppHost.Orchestration;
using LiveAspire.Tests.Infrastructure;
using Xunit;

namespace LiveAspire.Tests.AppHost;

/// <summary>The AppHost as a user runs it: a real process, stopped with a real signal.</summary>
[Collection(AppHostCommandCollection.Name)]
public sealed class AppHostCommandTests
{
    [Fact]
    public async Task StoppingTheAppHostLeavesNoChildProcessAndFreesEveryPort()
    {
        var (start, end) = TestPorts.NextBlock();
        var state = Path.Combine(Path.GetTempPath(), $"liveaspire-test-{Guid.NewGuid():N}");
        var dashboardPort = end;
        try
        {
            await using var host = AppHostProcess.Start("--no-build", "--state-dir", state, "--environment", "Testing",
                "--port-range-start", start.ToString(), "--port-range-end", (end - 1).ToString(), "--dashboard-port", dashboardPort.ToString());
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{dashboardPort}"), Timeout = TimeSpan.FromSeconds(10) };

            var snapshot = await Eventually.GetAsync(
                () => http.GetFromJsonAsync<JsonElement>("/api/resources"),
                s => s.GetProperty("resources").EnumerateArray().All(r => r.GetProperty("health").GetString() == "Healthy"),
                $"every resource healthy (AppHost output: {host.StandardOutput}{host.StandardError})", TimeSpan.FromSeconds(150));

            var resources = snapshot.GetProperty("resources").EnumerateArray().ToList();
            var pids = resources.SelectMany(r => r.GetProperty("replicas").EnumerateArray()).Select(r => r.GetProperty("pid").GetInt32()).ToList();
            var ports = resources.SelectMany(r => r.GetProperty("endpoints").EnumerateArray())
                .Select(e => new Uri(e.GetProperty("url").GetString()!).Port)
                .Concat(resources.SelectMany(r => r.GetProperty("replicas").EnumerateArray()).Select(r => new Uri(r.GetProperty("url").GetString()!).Port))
                .Append(dashboardPort).Distinct().ToList();
            Assert.Equal(8, pids.Count); // redis, postgres, api, 2 x realtime, 2 x worker, web (livedb is not a process)
            var children = ChildrenOf(host.Pid);
            Assert.NotEmpty(children);

            host.Signal(Posix.SigTerm);
            var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(90));

            Assert.True(exitCode == 0, $"AppHost exited with {exitCode}: {host.StandardError}");
            Assert.All(pids.Concat(children), pid => Assert.False(Posix.IsAlive(pid), $"process {pid} outlived the AppHost"));
            Assert.All(ports, port => Assert.True(PortAllocator.IsFree(port), $"port {port} still taken"));
        }
        finally
        {
            AppHostFixture.TryDelete(state);
        }
    }

    [Fact]
    public async Task MissingRedisBinaryIsOneLineNamingItAndTheFix()
    {
        var (start, end) = TestPorts.NextBlock();
        var state = Path.Combine(Path.GetTempPath(), $"liveaspire-test-{Guid.NewGuid():N}");
        try
        {
            await using var host = AppHostProcess.Start("--no-build", "--state-dir", state, "--port-range-start", start.ToString(),
                "--port-range-end", end.ToString(), "--dashboard-port", "0", "--AppHost:RedisServerPath=/nonexistent/redis-server");
            var code = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, code);
            var error = AssertOneLineError(host.StandardError);
            Assert.Contains("/nonexistent/redis-server", error, StringComparison.Ordinal);
            Assert.Contains("apt-get install", error, StringComparison.Ordinal);
        }
        finally
        {
            AppHostFixture.TryDelete(state);
        }
    }

    [Fact]
    public async Task TakenDashboardPortIsOneLineNamingThePortAndTheSetting()
    {
        var (start, end) = TestPorts.NextBlock();
        var state = Path.Combine(Path.GetTempPath(), $"liveaspire-test-{Guid.NewGuid():N}");
        using var squatter = new TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        try
        {
            await using var host = AppHostProcess.Start("--no-build", "--state-dir", state, "--port-range-start", start.ToString(),
                "--port-range-end", end.ToString(), "--dashboard-port", taken.ToString());
            var code = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(1, code);
            var error = AssertOneLineError(host.StandardError);
            Assert.Contains($"port {taken}", error, StringComparison.Ordinal);
            Assert.Contains("--dashboard-port", error, StringComparison.Ordinal);
        }
        finally
        {
            AppHostFixture.TryDelete(state);
        }
    }

    [Fact]
    public async Task UnknownSwitchIsOneLineWithUsage()
    {
        await using var host = AppHostProcess.Start("--no-such-switch");
        var code = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, code);
        var error = AssertOneLineError(host.StandardError);
        Assert.Contains("--no-such-switch", error, StringComparison.Ordinal);
        Assert.Contains("usage:", error, StringComparison.Ordinal);
    }

    internal static string AssertOneLineError(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{stderr}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        return lines[0];
    }

    private static List<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var candidate))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (int.Parse(fields[1]) == pid)
                    {
                        children.Add(candidate);
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        return children;
    }
}

[Xunit.CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostCommandCollection
{
    /// <summary>Starts whole systems as processes: alone, like every collection that starts a system.</summary>
    public const string Name = "apphost-command";
}
