using System.Net.Sockets;
using Aspire.Hosting.Testing;
using LiveAspire.AppHost.Local;
using LiveAspire.AppHost.Stores;

namespace LiveAspire.Tests.AppHost;

/// <summary>The model AppHost.cs defines for a local run, read without starting anything.</summary>
public sealed class AppHostModelTests
{
    [Fact]
    public async Task ModelWiresEveryServiceByNameAsDesigned()
    {
        var state = TestSystems.NewStateDirectory();
        var args = TestSystems.Args(state);
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LiveAspire_AppHost>(args);
            IResource Get(string name) => builder.Resources.Single(r => r.Name == name);
            int Replicas(string name) => Get(name).TryGetLastAnnotation<ReplicaAnnotation>(out var r) ? r.Replicas : 1;
            string[] References(string name) => [.. Get(name).Annotations.OfType<ResourceRelationshipAnnotation>()
                .Where(a => a.Type == "Reference").Select(a => a.Resource.Name).Distinct().Order()];
            string[] WaitsFor(string name) => [.. Get(name).Annotations.OfType<WaitAnnotation>().Select(a => a.Resource.Name).Distinct().Order()];
            EndpointAnnotation Http(string name) => Get(name).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == "http");

            Assert.IsType<LocalRedisResource>(Get("redis"));
            Assert.IsType<LocalPostgresResource>(Get("postgres"));
            Assert.Equal("livedb", Assert.IsType<LocalDatabaseResource>(Get("livedb")).DatabaseName);
            Assert.Equal(2, Replicas("realtime"));
            Assert.Equal(2, Replicas("worker")); // the outbox relay's standby
            Assert.Equal(2, Replicas("web")); // sessions live in PostgreSQL, so either replica serves any browser
            Assert.Equal(1, Replicas("api"));
            // Secrets are references too: the private key and the first admin's password reach Api alone; the client
            // address key Api and Web alone.
            Assert.Equal(["initial-admin-password", "jwt-signing-key-private", "jwt-signing-key-public", "livedb", "redis", "web", "web-client-address-key"], References("api"));
            Assert.Equal(["api", "jwt-signing-key-public", "livedb", "redis", "web"], References("realtime")); // web: the origin allowlist
            Assert.Equal(["api", "livedb", "redis"], References("worker"));
            Assert.Equal(["api", "jwt-signing-key-public", "livedb", "realtime", "web-client-address-key"], References("web")); // realtime: the address browsers are given
            Assert.Equal(["livedb", "postgres", "redis"], WaitsFor("api")); // a database waits for its server
            Assert.All(new[] { "realtime", "worker" }, n => Assert.Equal(["api"], WaitsFor(n)));
            Assert.Equal(["api", "livedb", "postgres"], WaitsFor("web")); // api: its migrations create Web's tables
            Assert.All(new[] { "api", "realtime", "worker", "web" }, n => Assert.True(Get(n).TryGetAnnotationsOfType<HealthCheckAnnotation>(out _), $"{n} has no health check"));
            Assert.True(Http("web").IsExternal);
            Assert.True(Http("realtime").IsExternal);
            Assert.False(Http("worker").IsExternal);
            // A local run hands browsers Realtime's own address; the public-address parameters are for deployments.
            Assert.DoesNotContain(builder.Resources, r => r.Name is "realtime-public-url" or "web-public-url");
        }
        finally
        {
            TestSystems.TryDelete(state);
        }
    }

    public static TheoryData<string, string[], bool> DemoRuns => new()
    {
        { "Development", [], true }, // ./run.sh
        { "Development", ["--demo", "off"], false },
        { "Testing", [], false }, // test systems
        { "Testing", ["--demo", "on"], true }, // DemoSystemFixture
    };

    [Theory]
    [MemberData(nameof(DemoRuns))]
    public async Task TheDemoRunsInDevelopmentUnlessSwitchedOffAndElsewhereOnlyWhenSwitchedOn(string environment, string[] switches, bool present)
    {
        var state = TestSystems.NewStateDirectory();
        string[] args = [.. TestSystems.Args(state), .. switches, "--demo-performers", "4", "--demo-viewers", "12"];
        try
        {
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LiveAspire_AppHost>(args,
                (_, settings) => settings.EnvironmentName = environment);
            var demo = builder.Resources.OfType<ProjectResource>().SingleOrDefault(r => r.Name == "demo");

            Assert.Equal(present, demo is not null);
            // Its accounts' password is generated only for a run that has the demo.
            Assert.Equal(present, builder.Resources.Any(r => r.Name == "demo-account-password"));
            if (demo is null)
            {
                return;
            }
            Assert.Equal(["api", "demo-account-password", "realtime"], demo.Annotations.OfType<ResourceRelationshipAnnotation>()
                .Where(a => a.Type == "Reference").Select(a => a.Resource.Name).Distinct().Order());
            Assert.Equal(["api", "realtime"], demo.Annotations.OfType<WaitAnnotation>().Select(a => a.Resource.Name).Distinct().Order());
            // The callbacks themselves: resolving the values would wait for endpoints a model never started allocates.
            var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), demo);
            foreach (var callback in demo.Annotations.OfType<EnvironmentCallbackAnnotation>())
            {
                await callback.Callback(context);
            }
            Assert.Equal("4", context.EnvironmentVariables["Demo__Performers"]);
            Assert.Equal("12", context.EnvironmentVariables["Demo__Viewers"]);
            Assert.IsType<ParameterResource>(context.EnvironmentVariables["Demo__AccountPassword"]);
            Assert.True(demo.TryGetAnnotationsOfType<HealthCheckAnnotation>(out _));
        }
        finally
        {
            TestSystems.TryDelete(state);
        }
    }

    [Fact]
    public void PortBlockSkipsAPortAnotherProcessHolds()
    {
        // Two neighbouring ports free right now: hold the first, the block must hand out the second.
        var taken = Enumerable.Range(0, 200).Select(i => 29000 + i * 2)
            .First(p => PortBlock.IsFree(p) && PortBlock.IsFree(p + 1));
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, taken));
        squatter.Listen(); // what a server holding the port does
        var block = new PortBlock(taken, taken + 1);

        Assert.Equal(taken + 1, block.Next("redis"));
        var error = Assert.Throws<StartupException>(() => block.Next("postgres"));
        Assert.Contains("postgres", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{taken}-{taken + 1}", error.Message, StringComparison.Ordinal);
        Assert.Contains("--port-range-start", error.Message, StringComparison.Ordinal);
    }
}
