using System.Diagnostics;

namespace LiveAspire.Tests.Realtime.Replicas;

/// <summary><c>POST /replica/gc</c>: the benchmark's forced collection, which exists in the Testing environment only.</summary>
[Collection(SystemCollection.Name)]
public sealed class MemoryApiTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ForcedCollectionInTestingReportsTheHeapAndTheProcess()
    {
        using var http = new HttpClient { BaseAddress = Replica(0), Timeout = Deadline };

        using var response = await http.PostAsync("/replica/gc", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = report.RootElement;
        Assert.True(root.GetProperty("heapSizeBytes").GetInt64() > 0);
        Assert.True(root.GetProperty("committedBytes").GetInt64() > 0);
        Assert.True(root.GetProperty("rssAfterKib").GetInt64() > 0);
        Assert.True(root.GetProperty("rssBeforeKib").GetInt64() > 0);
        Assert.True(root.GetProperty("pauseMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task ForcedCollectionRouteDoesNotExistOutsideTesting()
    {
        // The same Realtime build with the same settings as replica 0 (its own command line, working folder and
        // environment, read from the running service), but in Production and on a port of its own.
        var pid = System.Part("realtime", 0).Pid ?? throw new InvalidOperationException("replica 0 is not running");
        var command = ProcFields(pid, "cmdline");
        var info = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: true)!.FullName,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Clear();
        foreach (var variable in ProcFields(pid, "environ"))
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            info.Environment[variable[..equals]] = variable[(equals + 1)..];
        }
        var port = FreePort();
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.UntilAsync(async () =>
            {
                try
                {
                    using var up = await http.GetAsync("/replica");
                    return up.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "the Production Realtime process to answer GET /replica", Deadline);

            using var response = await http.PostAsync("/replica/gc", null);

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(Deadline);
        }
    }

    /// <summary>A process's NUL-separated <c>/proc</c> file (<c>cmdline</c>, <c>environ</c>) as its fields.</summary>
    private static string[] ProcFields(int pid, string file)
        => File.ReadAllText($"/proc/{pid}/{file}").Split('\0', StringSplitOptions.RemoveEmptyEntries);

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
