using LiveAspire.AppHost.Reporting;

namespace LiveAspire.Tests.AppHost;

/// <summary>The running test system as an operator sees it: <c>endpoints.json</c>, every replica's own address, a replica that dies.</summary>
[Collection(SystemCollection.Name)]
public sealed class AppHostStartupTests(AppHostFixture system)
{
    private static readonly string[] Projects = ["api", "realtime", "worker", "web"];

    private string EndpointsFile => Path.Combine(system.StateDirectory, EndpointsReport.FileName);

    /// <summary>True once <c>endpoints.json</c> names every instance the system runs now, with its address and own process.</summary>
    private bool EndpointsFileMatchesTheSystem()
    {
        JsonElement file;
        try
        {
            file = JsonDocument.Parse(File.ReadAllText(EndpointsFile)).RootElement;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return false;
        }
        var resources = file.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        foreach (var project in Projects)
        {
            var inFile = resources[project].GetProperty("replicas").EnumerateArray()
                .Select(r => (Port: new Uri(r.GetProperty("url").GetString()!).Port, Pid: r.GetProperty("pid").GetInt32())).Order().ToList();
            var running = system.Parts(project).Select(p => (Port: p.Url?.Port ?? 0, Pid: p.Pid ?? 0)).Order().ToList();
            if (!inFile.SequenceEqual(running))
            {
                return false;
            }
        }
        return resources["redis"].GetProperty("pid").GetInt32() == system.Part("redis").Pid
            && resources["postgres"].GetProperty("pid").GetInt32() == system.Part("postgres").Pid;
    }

    [Fact]
    public async Task EndpointsFileListsEveryPartWithItsOwnAddressesAndProcesses()
    {
        // Another test of the collection may have restarted a replica just now: the file follows.
        await Eventually.UntilAsync(EndpointsFileMatchesTheSystem, $"{EndpointsFile} to match the running system");
        var file = JsonDocument.Parse(await File.ReadAllTextAsync(EndpointsFile)).RootElement;
        var resources = file.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);

        Assert.Equal(["api", "postgres", "realtime", "redis", "web", "worker"], resources.Keys.Order());
        Assert.Equal(system.StateDirectory, file.GetProperty("stateDirectory").GetString());
        var realtime = resources["realtime"];
        var replicaUrls = realtime.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("url").GetString()).ToHashSet();
        Assert.Equal(2, replicaUrls.Count);
        Assert.DoesNotContain(realtime.GetProperty("url").GetString(), replicaUrls); // the proxy's address is not a replica's
        Assert.Equal(2, resources["worker"].GetProperty("replicas").GetArrayLength());
        foreach (var store in new[] { "redis", "postgres" })
        {
            Assert.True(new Uri(resources[store].GetProperty("url").GetString()!).Port < 32768);
        }
        // No secret in it: it is for scripts and load tools.
        var text = await File.ReadAllTextAsync(EndpointsFile);
        foreach (var secret in new[] { "redis-password", "postgres-password", "initial-admin-password" })
        {
            Assert.DoesNotContain(system.Parameter(secret), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryProjectReplicaAnswersHealthAndAliveOnItsOwnAddress()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var project in Projects)
        {
            foreach (var replica in system.Parts(project))
            {
                await Eventually.UntilAsync(replica.IsHealthyAsync, $"{replica.Id} healthy");
                foreach (var path in new[] { "/health", "/alive" })
                {
                    HttpResponseMessage response;
                    try
                    {
                        response = await http.GetAsync(new Uri(replica.Url!, path));
                    }
                    catch (HttpRequestException e)
                    {
                        var urls = replica.Pid is { } pid ? File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(v => v.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal)) : null;
                        throw new InvalidOperationException($"{replica.Id} at {replica.Url} (pid {replica.Pid}, {urls}): {e.Message}", e);
                    }
                    using (response)
                    {
                        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{replica.Id}{path} answered {(int)response.StatusCode}");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task KilledReplicaLeavesTheServiceAnsweringAndStartedAgainIsInTheEndpointsFile()
    {
        var replica = system.Part("realtime", 1);
        await Eventually.UntilAsync(replica.IsHealthyAsync, $"{replica.Id} healthy before the kill");
        var pid = replica.Pid!.Value;

        await replica.KillAsync();
        try
        {
            // The other replica still answers through the service's address.
            using var http = system.CreateHttpClient("realtime");
            await Eventually.UntilAsync(async () => (await http.GetAsync("/health")).StatusCode == HttpStatusCode.OK,
                "realtime's address to answer while one replica is down");
        }
        finally
        {
            // Aspire does not restart a process that exits; the operator (here the test) starts it again.
            await replica.StartAsync();
        }

        Assert.NotEqual(pid, replica.Pid);
        await Eventually.UntilAsync(EndpointsFileMatchesTheSystem, "endpoints.json to show the new process");
    }
}
