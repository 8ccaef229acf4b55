using Aspire.Hosting.Testing;
using LiveAspire.AppHost.Reporting;
using LiveAspire.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LiveAspire.Tests.AppHost;

/// <summary>
/// The whole AppHost with Api pointed at a database nobody listens on: Api exits with one line naming the
/// connection string and the address it could not reach; Aspire does not start it again, and what waits for Api
/// (Realtime, Worker, Web) is never started.
/// </summary>
[Collection(UnreachableDatabaseCollection.Name)]
public sealed class UnreachableDatabaseTests
{
    private static readonly string[] WaitingForApi = ["realtime", "worker", "web"];

    [Fact]
    public async Task ApiThatCannotReachItsDatabaseExitsWithOneLineNamingItAndWhatWaitsForItIsNeverStarted()
    {
        var closedPort = FreePort();
        var stateDirectory = TestSystems.NewStateDirectory();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LiveAspire_AppHost>(
            TestSystems.Args(stateDirectory), TestSystems.Configure);
        // After the reference's own value: the later callback wins.
        var unreachable = $"Host=127.0.0.1;Port={closedPort};Username=postgres;Password=unused;Database=livedb;Timeout=3";
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "api"))
            .WithEnvironment("ConnectionStrings__livedb", unreachable);
        var app = await builder.BuildAsync();
        using var watching = new CancellationTokenSource();
        var state = new SystemState(app.Services.GetRequiredService<DistributedApplicationModel>());
        var watch = state.WatchAsync(app.ResourceNotifications, watching.Token);
        Task starting = Task.CompletedTask;
        try
        {
            using var cts = new CancellationTokenSource(TestSystems.StartTimeout);
            // Never completes here: Aspire's start waits for what waits for Api (see below); stopping the app ends it.
            starting = app.StartAsync(cts.Token);

            var api = await app.ResourceNotifications.WaitForResourceAsync("api",
                e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cts.Token);
            Assert.Equal(KnownResourceStates.Finished, api.Snapshot.State?.Text);
            Assert.Equal(StartupFailure.ExitCode, api.Snapshot.ExitCode);

            // Its output says why in one line (no stack trace), naming the setting and the address it tried.
            // (The output reaches Aspire's log store a little after the exit is reported.)
            var lines = await Eventually.GetAsync(() => LogLinesAsync(app, api.ResourceId, cts.Token),
                l => l?.Any(line => line.Contains("Cannot start", StringComparison.Ordinal)) == true, "api's reason in its output");
            var reason = Assert.Single(lines, l => l.Contains("Cannot start", StringComparison.Ordinal));
            Assert.True(reason.Contains("ConnectionStrings:livedb", StringComparison.Ordinal), reason);
            Assert.True(reason.Contains($"127.0.0.1:{closedPort}", StringComparison.Ordinal), reason);
            Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));

            // What waits for Api is never started: it keeps waiting (Aspire's default: an operator may start Api again
            // from the dashboard), with no process of its own.
            foreach (var resource in WaitingForApi)
            {
                await Eventually.UntilAsync(() => state.InstancesOf(resource) is { Count: > 0 } instances
                        && instances.All(e => e.Snapshot.State?.Text == KnownResourceStates.Waiting),
                    $"every {resource} instance waiting for api", TestSystems.StartTimeout);
                Assert.All(state.InstancesOf(resource), e => Assert.Null(SystemState.PidOf(e.Snapshot)));
            }
            // Nothing starts Api again behind the operator's back: it is still the process that exited.
            Assert.Equal(KnownResourceStates.Finished, state.InstancesOf("api").Single().Snapshot.State?.Text);
        }
        finally
        {
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(90));
            await starting.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(TimeSpan.FromSeconds(90));
            await app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
            await watching.CancelAsync();
            await watch;
            TestSystems.TryDelete(stateDirectory);
        }
    }

    private static async Task<List<string>?> LogLinesAsync(DistributedApplication app, string resourceId, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        await foreach (var batch in app.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(resourceId).WithCancellation(cancellationToken))
        {
            lines.AddRange(batch.Select(l => l.Content));
        }
        return lines;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A whole AppHost of its own: run alone, as every system start is (two cores).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UnreachableDatabaseCollection
{
    public const string Name = "unreachable-database";
}
