using LiveAspire.AppHost.Hosting;
using Xunit;

namespace LiveAspire.Tests.Infrastructure;

/// <summary>
/// The whole system, started by running the AppHost's own entry point (AppHost.cs, unchanged) through the testing
/// hook, as Aspire's DistributedApplicationTestingBuilder does: real Redis, real PostgreSQL, every project, with
/// this fixture's own ports and state folder. Shared by a collection and stopped after it.
/// </summary>
public class AppHostFixture : IAsyncLifetime
{
    /// <summary>The deadline for every resource to turn healthy (a start takes about 10 s here).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly DistributedApplicationTestingHook _hook;
    private readonly string _stateDirectory = TestSystems.NewStateDirectory();

    public AppHostFixture()
    {
        _hook = new DistributedApplicationTestingHook
        {
            ConfigureOptions = o =>
            {
                TestSystems.Apply(o, _stateDirectory);
                ConfigureOptions(o);
            },
            ConfigureModel = b =>
            {
                // Fault hooks are armed by files in this folder while the system runs (Testing environment only).
                foreach (var project in b.Resources.OfType<ProjectResource>())
                {
                    project.Environment["FaultHooks__Directory"] = ReferenceExpression.Literal(FaultDirectory);
                    // Request lines too (Warning by default), so the secrets-in-logs test reads what a verbose operator would.
                    project.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = ReferenceExpression.Literal("Information");
                }
                // Edge limits low enough for the edge tests to reach quickly (Realtime/Edge); other tests stay below them.
                var realtime = b.Resources.OfType<ProjectResource>().Single(r => r.Name == "realtime");
                foreach (var (key, value) in EdgeSettings)
                {
                    realtime.Environment[key] = ReferenceExpression.Literal(value);
                }
                // Heartbeats every second (default 10 s), so round-trip times are measured within a test's patience.
                realtime.Environment["Heartbeat__Interval"] = ReferenceExpression.Literal("00:00:01");
                // Rooms count as "big" from 2 local members (default 100), so the coalescing window is exercised by
                // every multi-client test, next to the immediate path of single-member rooms.
                realtime.Environment["Delivery__CoalesceMinMembers"] = ReferenceExpression.Literal("2");
                // A per-connection queue small enough for the slow-client test to fill quickly (default 4096).
                realtime.Environment["Delivery__OutboxCapacity"] = ReferenceExpression.Literal(OutboxCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture));
                ConfigureModel(b);
            },
        };
    }

    /// <summary>The edge limits of the test system's Realtime replicas (defaults are in EdgeOptions).</summary>
    public static readonly IReadOnlyDictionary<string, string> EdgeSettings = new Dictionary<string, string>
    {
        ["Edge__MaxConnectionsPerUser"] = "5",
        ["Edge__HandshakeTimeout"] = "00:00:02",
        ["Edge__SlowReaderTimeout"] = "00:00:03",
    };

    /// <summary>Envelopes one connection's outbox holds in the test system (<c>Delivery:OutboxCapacity</c>).</summary>
    public const int OutboxCapacity = 300;

    public DistributedApplication App { get; private set; } = null!;

    public string StateDirectory => _stateDirectory;

    /// <summary>Where tests arm fault hooks (<c>{name}.arm</c>) and release them (<c>{name}.release</c>).</summary>
    public string FaultDirectory => Path.Combine(_stateDirectory, "faults");

    protected virtual void ConfigureOptions(DistributedApplicationOptions options)
    {
    }

    protected virtual void ConfigureModel(IDistributedApplicationBuilder builder)
    {
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FaultDirectory);
        App = await TestSystems.RunAppHostAsync(_hook);
        await TestSystems.StartOrCleanUpAsync(App, DisposeAsync);
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
        }
        _hook.Release();
        TryDelete(_stateDirectory);
    }

    public Uri Endpoint(string resource, string endpoint = "http") => new(App.GetResource(resource).GetEndpoint(endpoint).Url);

    public string ConnectionString(string resource) =>
        ((IResourceWithConnectionString)App.GetResource(resource)).ConnectionStringExpression.GetValue();

    public HttpClient CreateHttpClient(string resource) => new() { BaseAddress = Endpoint(resource), Timeout = TimeSpan.FromSeconds(30) };

    internal static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test run over.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemCollection : ICollectionFixture<AppHostFixture>
{
    /// <summary>Collections that start a whole system run one at a time: two cores.</summary>
    public const string Name = "system";
}
