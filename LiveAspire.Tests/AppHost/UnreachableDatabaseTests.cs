using LiveAspire.AppHost.Hosting;
using LiveAspire.AppHost.Orchestration;
using LiveAspire.Tests.Infrastructure;
using Xunit;

namespace LiveAspire.Tests.AppHost;

/// <summary>A service pointed at a database nobody listens on: start-up ends with one line naming the service and why.</summary>
[Collection(AppHostCommandCollection.Name)]
public sealed class UnreachableDatabaseTests
{
    [Fact]
    public async Task ApiThatCannotReachItsDatabaseFailsStartupWithOneLineNamingIt()
    {
        var closedPort = FreePort();
        var state = TestSystems.NewStateDirectory();
        var hook = new DistributedApplicationTestingHook
        {
            ConfigureOptions = o =>
            {
                TestSystems.Apply(o, state);
                o.HealthTimeoutSeconds = 15;
            },
            ConfigureModel = b => b.Resources.OfType<ProjectResource>().Single(r => r.Name == "api")
                .Environment["ConnectionStrings__livedb"] = ReferenceExpression.Literal(
                    $"Host=127.0.0.1;Port={closedPort};Username=postgres;Password=unused;Database=livedb;Timeout=3"),
        };
        var app = await TestSystems.RunAppHostAsync(hook);
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => app.StartAsync(cts.Token));

            Assert.DoesNotContain('\n', error.Message);
            Assert.StartsWith("api did not become healthy", error.Message, StringComparison.Ordinal);
            Assert.True(error.Message.Contains("livedb", StringComparison.Ordinal), error.Message);
            Assert.True(error.Message.Contains($"{closedPort}", StringComparison.Ordinal), error.Message);
            var api = app.Orchestrator.GetRunner("api").Replicas[0];
            Assert.True(api.Restarts >= 1, "the AppHost should have restarted the exiting api");
        }
        finally
        {
            await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
            hook.Release();
            AppHostFixture.TryDelete(state);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
