using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LiveAspire.AppHost.Orchestration;
using LiveAspire.Tests.Infrastructure;
using Xunit;

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
        // The same Realtime build with the same settings as replica 0, but in Production and on a port of its own.
        var runner = (ProjectRunner)System.App.Orchestrator.GetRunner("realtime");
        var replica = (ProjectReplica)runner.Replicas[0];
        var port = FreePort();
        var (fileName, arguments) = runner.Executable();
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in runner.BuildEnvironment(replica))
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }
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

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
