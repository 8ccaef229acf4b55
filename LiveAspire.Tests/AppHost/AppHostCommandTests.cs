using System.Globalization;
using System.Net.Sockets;
using LiveAspire.AppHost.Local;
using LiveAspire.Contracts.Demo;
using Posix = LiveAspire.Tests.Harness.Systems.Posix;

namespace LiveAspire.Tests.AppHost;

/// <summary>The AppHost as a user runs it (<c>./run.sh</c>): a real process, its console, its files, a real signal.</summary>
[Collection(AppHostCommandCollection.Name)]
public sealed class AppHostCommandTests
{
    private static readonly string[] Stores = ["redis", "postgres"];
    private static readonly Dictionary<string, (string Dll, int Replicas)> Services = new()
    {
        ["api"] = ("LiveAspire.Api", 1),
        ["realtime"] = ("LiveAspire.Realtime", 2),
        ["worker"] = ("LiveAspire.Worker", 2),
        ["web"] = ("LiveAspire.Web", 2),
    };

    [Fact]
    public async Task RunReportsEveryAddressKeepsSecretsOffCommandLinesStopsCleanlyAndStartsAgainOverItsStateFolder()
    {
        var (start, end) = TestPorts.NextBlock();
        var state = TestSystems.NewStateDirectory();
        // The dashboard takes its port and the next two (OTLP, resource service), outside the block.
        var dashboardPort = end - 2;
        string[] args = ["--state-dir", state, "--environment", "Testing", "--port-range-start", $"{start}",
            "--port-range-end", $"{end - 3}", "--dashboard-port", $"{dashboardPort}"];
        try
        {
            Dictionary<string, string> secrets;
            {
                await using var host = AppHostProcess.Start(args);
                var addresses = await WaitForAddressesAsync(host, state, null);
                var (pids, ports) = CheckAddresses(addresses, host, dashboardPort);
                // The dashboard answers at the printed address (its login token in it).
                using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
                {
                    using var page = await http.GetAsync(new Uri(addresses.GetProperty("dashboard").GetString()!));
                    Assert.True(page.IsSuccessStatusCode, $"the dashboard answered {(int)page.StatusCode}");
                }

                // Every generated secret: in the state folder, mode 600 in a mode 700 folder; on no command line.
                secrets = ReadSecrets(state);
                Assert.Equal(["initial-admin-password", "jwt-signing-key", "postgres-password", "redis-password", "web-client-address-key"], secrets.Keys.Order());
                // Every process the run started (the stores' own children too), and in fact every process here.
                var tree = DescendantsOf(host.Pid).Concat(pids.SelectMany(DescendantsOf)).Concat(pids).Distinct().ToList();
                foreach (var pid in AllProcesses())
                {
                    var commandLine = ReadProc(pid, "cmdline").Replace('\0', ' ');
                    foreach (var (name, value) in secrets)
                    {
                        Assert.False(SecretParts(value).Any(p => commandLine.Contains(p, StringComparison.Ordinal)),
                            $"{name} is on the command line of process {pid}: {commandLine[..Math.Min(commandLine.Length, 120)]}");
                    }
                }
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                    File.GetUnixFileMode(Path.Combine(state, "secrets")));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state, "redis", "redis.conf")));

                host.Signal(Posix.SigTerm);
                var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(120));

                Assert.True(exitCode == 0, $"AppHost exited with {exitCode}: {host.StandardError}");
                await Eventually.UntilAsync(() => tree.Concat(pids).All(p => !Posix.IsAlive(p)),
                    "every process the AppHost started to exit with it", TimeSpan.FromSeconds(60));
                await Eventually.UntilAsync(() => ports.All(PortBlock.IsFree), "every port to be free again", TimeSpan.FromSeconds(60));
            }

            // A second run over the same folder: the same secrets, and PostgreSQL's data folder from the first run
            // accepts them (Api is healthy only once it has connected with the password).
            Assert.True(File.Exists(Path.Combine(state, "postgres", "data", "PG_VERSION")));
            var first = await File.ReadAllTextAsync(Path.Combine(state, "endpoints.json"));
            File.Delete(Path.Combine(state, "endpoints.json"));
            {
                await using var host = AppHostProcess.Start(args);
                var addresses = await WaitForAddressesAsync(host, state, first);
                CheckAddresses(addresses, host, dashboardPort);
                Assert.Equal(secrets, ReadSecrets(state));
            }
        }
        finally
        {
            TestSystems.TryDelete(state);
        }
    }

    [Fact]
    public async Task MissingRedisBinaryIsOneLineNamingItAndTheFix()
    {
        var (start, end) = TestPorts.NextBlock();
        var state = TestSystems.NewStateDirectory();
        try
        {
            var error = await StartupErrorAsync("--state-dir", state, "--port-range-start", $"{start}",
                "--port-range-end", $"{end - 3}", "--dashboard-port", $"{end - 2}", "--AppHost:RedisServerPath=/nonexistent/redis-server");
            Assert.Contains("/nonexistent/redis-server", error, StringComparison.Ordinal);
            Assert.Contains("apt-get install", error, StringComparison.Ordinal);
        }
        finally
        {
            TestSystems.TryDelete(state);
        }
    }

    [Fact]
    public async Task UnknownSwitchIsOneLineNamingItAndTheKnownOnes()
    {
        var state = TestSystems.NewStateDirectory();
        try
        {
            // A mistyped --state-dir must not fall back to the default state folder that ./run.sh uses.
            var error = await StartupErrorAsync("--state-dirr", state);
            Assert.Contains("--state-dirr", error, StringComparison.Ordinal);
            Assert.Contains("--state-dir,", error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(state));
        }
        finally
        {
            TestSystems.TryDelete(state);
        }
    }

    [Fact]
    public async Task MissingPostgresIsOneLineNamingItAndTheSetting()
    {
        var (start, end) = TestPorts.NextBlock();
        var state = TestSystems.NewStateDirectory();
        try
        {
            var error = await StartupErrorAsync("--state-dir", state, "--port-range-start", $"{start}",
                "--port-range-end", $"{end - 3}", "--dashboard-port", $"{end - 2}", "--AppHost:PostgresBinDirectory=/nonexistent/bin");
            Assert.Contains("/nonexistent/bin/postgres", error, StringComparison.Ordinal);
            Assert.Contains("AppHost:PostgresBinDirectory", error, StringComparison.Ordinal);
        }
        finally
        {
            TestSystems.TryDelete(state);
        }
    }

    [Fact]
    public async Task NoFreePortIsOneLineNamingTheBlockAndTheSwitches()
    {
        var (_, end) = TestPorts.NextBlock();
        var state = TestSystems.NewStateDirectory();
        using var squatter = new TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        try
        {
            // A block of one port, and another process holds it.
            var error = await StartupErrorAsync("--state-dir", state, "--port-range-start", $"{taken}", "--port-range-end", $"{taken}",
                "--dashboard-port", $"{end - 2}");
            Assert.Contains($"{taken}-{taken}", error, StringComparison.Ordinal);
            Assert.Contains("--port-range-start", error, StringComparison.Ordinal);
            Assert.Contains("--port-range-end", error, StringComparison.Ordinal);
        }
        finally
        {
            TestSystems.TryDelete(state);
        }
    }

    [Fact]
    public async Task TakenDashboardPortIsOneLineNamingThePortAndTheSwitch()
    {
        var (start, end) = TestPorts.NextBlock();
        var state = TestSystems.NewStateDirectory();
        using var squatter = new TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        try
        {
            var error = await StartupErrorAsync("--state-dir", state, "--port-range-start", $"{start}",
                "--port-range-end", $"{end}", "--dashboard-port", $"{taken}");
            Assert.Contains($"port {taken}", error, StringComparison.Ordinal);
            Assert.Contains("--dashboard-port", error, StringComparison.Ordinal);
        }
        finally
        {
            TestSystems.TryDelete(state);
        }
    }

    public static TheoryData<string, string, string> BadDemoSettings => new()
    {
        { "--demo", "maybe", "on or off" },
        { "--demo-performers", $"{DemoLimits.Performers.Max + 1}", $"from {DemoLimits.Performers.Min} to {DemoLimits.Performers.Max}" },
        { "--demo-viewers", "many", $"from {DemoLimits.Viewers.Min} to {DemoLimits.Viewers.Max}" },
    };

    [Theory]
    [MemberData(nameof(BadDemoSettings))]
    public async Task BadDemoSettingIsOneLineNamingTheSwitchAndWhatItTakes(string name, string value, string wanted)
    {
        var (start, end) = TestPorts.NextBlock();
        var state = TestSystems.NewStateDirectory();
        try
        {
            // Checked in every run, the demo on or off (a Testing run has it off): a mistyped size is never ignored.
            var error = await StartupErrorAsync("--state-dir", state, "--environment", "Testing", "--port-range-start", $"{start}",
                "--port-range-end", $"{end - 3}", "--dashboard-port", $"{end - 2}", name, value);
            Assert.Contains($"{name} (", error, StringComparison.Ordinal);
            Assert.Contains($"'{value}'", error, StringComparison.Ordinal);
            Assert.Contains(wanted, error, StringComparison.Ordinal);
        }
        finally
        {
            TestSystems.TryDelete(state);
        }
    }

    /// <summary>Runs the AppHost with <paramref name="args"/>, which must make it exit with code 1 and one error line.</summary>
    private static async Task<string> StartupErrorAsync(params string[] args)
    {
        await using var host = AppHostProcess.Start(args);
        var code = await host.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(1, code);
        return AssertOneLineError(host.StandardError);
    }

    internal static string AssertOneLineError(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{stderr}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        return lines[0];
    }

    /// <summary>Waits for <c>endpoints.json</c> (written once every part is healthy) with content other than <paramref name="previous"/>.</summary>
    private static async Task<JsonElement> WaitForAddressesAsync(AppHostProcess host, string state, string? previous)
    {
        var path = Path.Combine(state, "endpoints.json");
        var text = await Eventually.GetAsync(
            () => Task.FromResult<string?>(File.Exists(path) ? File.ReadAllText(path) : ""),
            t => host.HasExited || t != previous && IsJson(t),
            "endpoints.json written (every part healthy)", TestSystems.StartTimeout + TimeSpan.FromSeconds(60));
        Assert.False(host.HasExited, $"AppHost exited: {host.StandardOutput}{host.StandardError}");
        // The report prints the addresses just after it writes the file, and the console reaches this process through
        // a pipe: wait for the report's last line before reading it.
        await Eventually.UntilAsync(() => host.HasExited || host.StandardOutput.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal),
            "the addresses printed on the console", TimeSpan.FromSeconds(60));
        return JsonDocument.Parse(text!).RootElement.Clone();

        static bool IsJson(string? text)
        {
            try
            {
                using var _ = JsonDocument.Parse(text ?? "");
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// What <c>endpoints.json</c> and the console say: every part with its address, each replica its own address and
    /// the service's own process; the stores listening themselves (no proxy) below 32768. Returns every process id
    /// and port in it.
    /// </summary>
    private static (List<int> Pids, List<int> Ports) CheckAddresses(JsonElement addresses, AppHostProcess host, int dashboardPort)
    {
        var pids = new List<int>();
        var ports = new List<int> { dashboardPort };
        var resources = addresses.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        Assert.Equal(Stores.Concat(Services.Keys).Order(), resources.Keys.Order());
        var dashboard = addresses.GetProperty("dashboard").GetString()!;
        Assert.StartsWith($"http://127.0.0.1:{dashboardPort}", dashboard, StringComparison.Ordinal);
        var console = host.StandardOutput;
        Assert.Contains(dashboard, console, StringComparison.Ordinal);

        foreach (var name in Stores)
        {
            var url = new Uri(resources[name].GetProperty("url").GetString()!);
            var pid = resources[name].GetProperty("pid").GetInt32();
            Assert.True(url.Port < 32768, $"{name} is on port {url.Port}");
            Assert.Contains(url.ToString().TrimEnd('/'), console, StringComparison.Ordinal);
            Assert.True(ListensOn(pid, url.Port), $"{name}'s own process {pid} does not listen on {url.Port}: something sits in between");
            pids.Add(pid);
            ports.Add(url.Port);
        }
        foreach (var (name, (dll, count)) in Services)
        {
            var url = resources[name].GetProperty("url").GetString()!;
            Assert.Contains(url, console, StringComparison.Ordinal);
            ports.Add(new Uri(url).Port);
            var replicas = resources[name].GetProperty("replicas").EnumerateArray().ToList();
            Assert.Equal(count, replicas.Count);
            var urls = replicas.Select(r => r.GetProperty("url").GetString()!).ToHashSet();
            Assert.Equal(count, urls.Count);
            Assert.DoesNotContain(url, urls); // each replica's own address, not the proxy's
            foreach (var replica in replicas)
            {
                var pid = replica.GetProperty("pid").GetInt32();
                var commandLine = ReadProc(pid, "cmdline").Replace('\0', ' ');
                Assert.True(commandLine.Contains(dll, StringComparison.Ordinal), $"{name}'s pid {pid} is not the service: {commandLine}");
                // Aspire's ASPNETCORE_FORWARDEDHEADERS_ENABLED=true would make every caller's X-Forwarded-For believed.
                Assert.DoesNotContain("ASPNETCORE_FORWARDEDHEADERS_ENABLED=true", ReadProc(pid, "environ").Split('\0'));
                if (count > 1)
                {
                    Assert.Contains(replica.GetProperty("url").GetString()!, console, StringComparison.Ordinal);
                }
                pids.Add(pid);
                pids.Add(replica.GetProperty("launcherPid").GetInt32());
                ports.Add(new Uri(replica.GetProperty("url").GetString()!).Port);
            }
        }
        return (pids, ports);
    }

    private static Dictionary<string, string> ReadSecrets(string state)
    {
        var folder = Path.Combine(state, "secrets");
        return Directory.EnumerateFiles(folder).ToDictionary(path => Path.GetFileName(path), path =>
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            return File.ReadAllText(path);
        });
    }

    /// <summary>A secret's distinctive parts: the value, or each base64 line of a PEM.</summary>
    private static IEnumerable<string> SecretParts(string value)
        => value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal) && l.Length >= 16);

    private static string ReadProc(int pid, string file)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{file}");
        }
        catch (IOException)
        {
            return ""; // gone meanwhile
        }
    }

    /// <summary>Whether <paramref name="pid"/> itself holds the listening socket on loopback port <paramref name="port"/>.</summary>
    private static bool ListensOn(int pid, int port)
    {
        var hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        var inodes = File.ReadLines("/proc/net/tcp").Concat(File.ReadLines("/proc/net/tcp6")).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[1].EndsWith($":{hexPort}", StringComparison.Ordinal) && f[3] == "0A")
            .Select(f => $"socket:[{f[9]}]").ToHashSet();
        return Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target);
            }
            catch (IOException)
            {
                return false;
            }
        });
    }

    private static IEnumerable<int> AllProcesses()
        => Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0)
            .Where(p => p > 0);

    /// <summary>Every process below <paramref name="pid"/>, at any depth.</summary>
    private static List<int> DescendantsOf(int pid)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate)
                && LiveAspire.AppHost.Reporting.ServiceProcess.ParentOf(candidate) is { } parent)
            {
                parents[candidate] = parent;
            }
        }
        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var next))
        {
            foreach (var (child, parent) in parents)
            {
                if (parent == next)
                {
                    found.Add(child);
                    frontier.Enqueue(child);
                }
            }
        }
        return found;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AppHostCommandCollection
{
    /// <summary>Starts whole systems as processes: alone, like every collection that starts a system.</summary>
    public const string Name = "apphost-command";
}
