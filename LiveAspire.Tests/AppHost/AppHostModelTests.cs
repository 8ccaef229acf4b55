using System.Net;
using System.Net.Sockets;
using LiveAspire.AppHost.Hosting;
using LiveAspire.AppHost.Orchestration;
using LiveAspire.Tests.Infrastructure;
using Xunit;

namespace LiveAspire.Tests.AppHost;

/// <summary>The model AppHost.cs defines is plain data: read it without starting anything.</summary>
public sealed class AppHostModelTests
{
    private static async Task<(DistributedApplication App, DistributedApplicationTestingHook Hook)> DefineAsync()
    {
        var hook = new DistributedApplicationTestingHook
        {
            ConfigureOptions = o => o.StateDirectory = Path.Combine(Path.GetTempPath(), $"liveaspire-model-{Guid.NewGuid():N}"),
        };
        var app = await TestSystems.RunAppHostAsync(hook);
        return (app, hook);
    }

    [Fact]
    public async Task ModelWiresEveryServiceByNameAsDesigned()
    {
        var (app, hook) = await DefineAsync();
        try
        {
            ProjectResource Project(string name) => (ProjectResource)app.GetResource(name);
            string[] Names(IEnumerable<object> items) => [.. items.Select(i => ((dynamic)i).Name).Cast<string>().Order()];

            Assert.IsType<RedisResource>(app.GetResource("redis"));
            Assert.Equal("livedb", Assert.IsType<PostgresDatabaseResource>(app.GetResource("livedb")).DatabaseName);
            Assert.Equal(2, Project("realtime").Replicas);
            Assert.Equal(2, Project("worker").Replicas); // the outbox relay's standby
            Assert.All(new[] { "api", "web" }, n => Assert.Equal(1, Project(n).Replicas));
            Assert.Equal(["livedb", "redis"], Names(Project("api").ConnectionStringReferences));
            Assert.Equal(["livedb", "redis"], Names(Project("api").WaitsFor));
            Assert.Equal(["api"], Names(Project("realtime").WaitsFor));
            Assert.Equal(["api"], Names(Project("worker").WaitsFor));
            Assert.Equal(["api", "realtime"], Names(Project("web").ServiceReferences));
            Assert.Contains(Project("realtime").ServiceReferences, r => r.Name == "web"); // origin allowlist
            Assert.All(new[] { "api", "realtime", "worker", "web" }, n => Assert.Equal("/health", Project(n).HealthCheckPath));
            Assert.True(Project("web").GetEndpoint("http").IsExternal);
            Assert.False(Project("worker").GetEndpoint("http").IsExternal);
            Assert.True(Project("api").Environment.ContainsKey("Auth__SigningKeyPem"));
            Assert.False(Project("realtime").Environment.ContainsKey("Auth__SigningKeyPem")); // only the issuer signs
        }
        finally
        {
            await app.DisposeAsync();
            hook.Release();
        }
    }

    [Fact]
    public void PortAllocatorSkipsAPortAnotherProcessHolds()
    {
        // Two neighbouring ports free right now: hold the first, the allocator must hand out the second.
        var taken = Enumerable.Range(0, 200).Select(i => 29000 + i * 2)
            .First(p => PortAllocator.IsFree(p) && PortAllocator.IsFree(p + 1));
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, taken));
        squatter.Listen(); // what a server holding the port does
        var allocator = new PortAllocator(taken, taken + 1);

        var port = allocator.Allocate("test");

        Assert.Equal(taken + 1, port);
        var error = Assert.Throws<DistributedApplicationException>(() => allocator.Allocate("another"));
        Assert.Contains("PortRangeStart", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReservingATakenFixedPortNamesThePortAndTheSetting()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen(); // what a server holding the port does
        var taken = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var error = Assert.Throws<DistributedApplicationException>(
            () => new PortAllocator(20000, 20010).Reserve(taken, "redis.tcp", "the redis port"));

        Assert.Contains($"port {taken}", error.Message, StringComparison.Ordinal);
        Assert.Contains("the redis port", error.Message, StringComparison.Ordinal);
    }
}
