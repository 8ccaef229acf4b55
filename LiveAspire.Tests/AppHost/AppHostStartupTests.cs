using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveAspire.AppHost.Orchestration;
using LiveAspire.Tests.Infrastructure;
using Xunit;

namespace LiveAspire.Tests.AppHost;

[Collection(SystemCollection.Name)]
public sealed class AppHostStartupTests(AppHostFixture system)
{
    private static readonly string[] Everything = ["redis", "postgres", "livedb", "api", "realtime", "worker", "web"];

    [Fact]
    public async Task DashboardJsonListsEveryResourceRunningAndHealthyWithEndpoints()
    {
        using var http = new HttpClient { BaseAddress = system.App.DashboardUrl, Timeout = TimeSpan.FromSeconds(30) };
        var snapshot = await http.GetFromJsonAsync<JsonElement>("/api/resources");
        var resources = snapshot.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);

        Assert.Equal(Everything.Order(), resources.Keys.Order());
        foreach (var (name, resource) in resources)
        {
            Assert.True(resource.GetProperty("state").GetString() == "Running", $"{name} is {resource.GetProperty("state")}");
            Assert.True(resource.GetProperty("health").GetString() == "Healthy", $"{name} is {resource.GetProperty("health")}");
            if (name != "livedb")
            {
                Assert.NotEmpty(resource.GetProperty("endpoints").EnumerateArray());
                foreach (var replica in resource.GetProperty("replicas").EnumerateArray())
                {
                    Assert.True(replica.GetProperty("pid").GetInt32() > 0);
                }
            }
        }
        var realtime = resources["realtime"];
        Assert.Equal(2, realtime.GetProperty("replicas").GetArrayLength());
        Assert.True(realtime.GetProperty("endpoints")[0].GetProperty("proxied").GetBoolean());
        var replicaUrls = realtime.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("url").GetString()).ToHashSet();
        Assert.Equal(2, replicaUrls.Count);
        Assert.DoesNotContain(realtime.GetProperty("endpoints")[0].GetProperty("url").GetString(), replicaUrls);
    }

    [Fact]
    public async Task EveryProjectReplicaAnswersHealthAndAlive()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        foreach (var runner in system.App.Orchestrator.Runners.Where(r => r.Resource is LiveAspire.AppHost.Hosting.ProjectResource))
        {
            foreach (var replica in runner.Replicas)
            {
                foreach (var path in new[] { "/health", "/alive" })
                {
                    using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{replica.Port}{path}"));
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{replica.Id}{path} answered {(int)response.StatusCode}");
                }
            }
        }
    }

    [Fact]
    public async Task DashboardServesThePageAndALiveLogTail()
    {
        using var http = new HttpClient { BaseAddress = system.App.DashboardUrl, Timeout = TimeSpan.FromSeconds(30) };
        var page = await http.GetStringAsync("/");
        Assert.Contains("LiveAspire", page, StringComparison.Ordinal);

        var lines = await http.GetFromJsonAsync<JsonElement>("/api/logs/api-0?after=0");
        Assert.True(lines.GetArrayLength() > 0, "api-0 has printed nothing the dashboard kept");
        var last = lines.EnumerateArray().Last().GetProperty("seq").GetInt64();
        var after = await http.GetFromJsonAsync<JsonElement>($"/api/logs/api-0?after={last}");
        Assert.All(after.EnumerateArray(), l => Assert.True(l.GetProperty("seq").GetInt64() > last));

        using var missing = await http.GetAsync("/api/logs/nope-0");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task KilledReplicaIsRestartedOnTheSamePortAndTurnsHealthyAgain()
    {
        var runner = system.App.Orchestrator.GetRunner("realtime");
        var replica = runner.Replicas[1];
        await Eventually.UntilAsync(() => replica.Health == HealthStatus.Healthy, "realtime-1 healthy before the kill");
        var port = replica.Port;
        var pid = replica.Pid!.Value;
        var restarts = replica.Restarts;

        Posix.Kill(pid, Posix.SigKill);

        await Eventually.UntilAsync(() => replica.Restarts > restarts, "the AppHost to notice the exit and restart realtime-1");
        await Eventually.UntilAsync(() => replica.Health == HealthStatus.Healthy && replica.Pid is { } p && p != pid,
            "realtime-1 healthy again in a new process");
        Assert.Equal(port, replica.Port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
