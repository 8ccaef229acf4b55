using System.Diagnostics;
using Aspire.Hosting.Testing;
using LiveAspire.AppHost.Reporting;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// The whole system, started from the AppHost itself (AppHost.cs, unchanged) with Aspire.Hosting.Testing: real
/// Redis, real PostgreSQL, every project and replica, with this fixture's own state folder and port block, in the
/// Testing environment with the fault-hook folder set for every project. Shared by a collection and stopped after it.
/// </summary>
public class AppHostFixture(IMessageSink diagnostics) : SystemFixture(diagnostics)
{
    /// <summary>The edge limits of the test system's Realtime replicas (defaults are in EdgeOptions).</summary>
    public static readonly IReadOnlyDictionary<string, string> EdgeSettings = new Dictionary<string, string>
    {
        ["Edge__MaxConnectionsPerUser"] = "5",
        // Low enough for a test to reach (default 1000), far above what the other tests hold from one address at once.
        // Forwarded headers keep their default (no known proxy): DefaultForwardedHeadersTests runs against it.
        ["Edge__MaxConnectionsPerIp"] = "30",
        ["Edge__HandshakeTimeout"] = "00:00:02",
        ["Edge__SlowReaderTimeout"] = "00:00:03",
    };

    /// <summary>Envelopes one connection's send queue holds in the test system (<c>Delivery:SendQueueCapacity</c>).</summary>
    public const int SendQueueCapacity = 300;

    /// <summary>How often the test system's replicas re-check open connections' sessions (<c>Revocation:RecheckInterval</c>, default 60 s).</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Web refreshes an access token with less than this left (<c>Session:RefreshBefore</c>, default 1 minute). Api's
    /// tokens live 15 minutes, so here a token is refreshed once it is 4 s old: every browser test goes through the
    /// refresh lock, and the two-tab test sees a refresh every few seconds, while Api's lifetimes stay as other tests
    /// expect them.
    /// </summary>
    public static readonly TimeSpan WebRefreshBefore = TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(4);

    /// <summary>
    /// How long Api's guest tokens live here (<c>Auth:GuestTokenLifetime</c>, default 10 minutes): short enough for a
    /// browser test to see a guest's page renew its token and reconnect with the new one after the first expired (and
    /// is refused, past the hubs' 30 s clock skew), long enough for a test that connects with a token it just got.
    /// GuestTokenTests, which checks the default, runs against ApiFixture.
    /// </summary>
    public static readonly TimeSpan GuestTokenLifetime = TimeSpan.FromSeconds(30);

    protected override async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string[] args)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LiveAspire_AppHost>(args, TestSystems.Configure);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // Request lines too (Warning by default), so the secrets-in-logs test reads what a verbose operator would.
            builder.CreateResourceBuilder(project).WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore", "Information");
        }
        var realtime = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "realtime"));
        foreach (var (key, value) in EdgeSettings)
        {
            realtime.WithEnvironment(key, value);
        }
        // Heartbeats every second (default 10 s), so round-trip times are measured within a test's patience.
        realtime.WithEnvironment("Heartbeat__Interval", "00:00:01");
        // Rooms count as "big" from 2 local members (default 100), so the coalescing window is exercised by every
        // multi-client test, next to the immediate path of single-member rooms.
        realtime.WithEnvironment("Delivery__CoalesceMinMembers", "2");
        // A per-connection queue small enough for the slow-client test to fill quickly (default 4096).
        realtime.WithEnvironment("Delivery__SendQueueCapacity", SendQueueCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // A lost revocation notice is repaired within a test's patience (default 60 s).
        realtime.WithEnvironment("Revocation__RecheckInterval", RecheckInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "api"))
            .WithEnvironment("Auth__GuestTokenLifetime", GuestTokenLifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "web"))
            .WithEnvironment("Session__RefreshBefore", WebRefreshBefore.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        ConfigureModel(builder);
        return builder;
    }

    /// <summary>Changes a derived fixture makes to the model before it is built.</summary>
    protected virtual void ConfigureModel(IDistributedApplicationTestingBuilder builder)
    {
    }
}

/// <summary>
/// What every test system has: it starts (logging how long it took), waits until every part is healthy, tracks each
/// part's instances, and offers their addresses, connection strings, secrets and process control. Deleted with its
/// state folder at the end.
/// </summary>
public abstract class SystemFixture(IMessageSink diagnostics) : IAsyncLifetime
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, string> _connectionStrings = new(StringComparer.Ordinal);
    private Task _watching = Task.CompletedTask;

    public DistributedApplication App { get; private set; } = null!;

    public SystemState State { get; private set; } = null!;

    public string StateDirectory { get; } = TestSystems.NewStateDirectory();

    /// <summary>Where tests arm fault hooks (<c>{name}.arm</c>) and release them (<c>{name}.release</c>).</summary>
    public string FaultDirectory => Path.Combine(StateDirectory, "faults");

    protected abstract Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string[] args);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FaultDirectory);
        var started = Stopwatch.StartNew();
        var builder = await CreateBuilderAsync(TestSystems.Args(StateDirectory));
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // Fault hooks are armed by files in this folder while the system runs (Testing environment only).
            builder.CreateResourceBuilder(project).WithEnvironment("FaultHooks__Directory", FaultDirectory)
                // The testing builder runs no dashboard, yet Aspire points every exporter at one: each process would
                // serialize and retry telemetry batches to nowhere. Telemetry tests run their own hosts.
                .WithEnvironment(context =>
                {
                    context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
                    context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_PROTOCOL");
                });
        }
        App = await builder.BuildAsync();
        State = new SystemState(App.Services.GetRequiredService<DistributedApplicationModel>());
        _watching = State.WatchAsync(App.ResourceNotifications, _stopping.Token);
        using var timeout = new CancellationTokenSource(TestSystems.StartTimeout);
        try
        {
            await App.StartAsync(timeout.Token);
            // Aspire's health of a replica is its proxy's: each replica must answer on its own address too.
            await Eventually.UntilAsync(() => State.AllServingAsync(), $"every part of {GetType().Name} healthy, each replica on its own address", TestSystems.StartTimeout);
            foreach (var resource in App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<IResourceWithConnectionString>())
            {
                _connectionStrings[resource.Name] = await resource.ConnectionStringExpression.GetValueAsync(timeout.Token) ?? "";
            }
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
        diagnostics.OnMessage(new Xunit.Sdk.DiagnosticMessage($"{GetType().Name} started in {started.Elapsed.TotalSeconds:0.0} s"));
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(90));
            await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
        }
        await _stopping.CancelAsync();
        await _watching;
        TestSystems.TryDelete(StateDirectory);
    }

    /// <summary>A resource's address: a project's (proxied) endpoint.</summary>
    public Uri Endpoint(string resource, string endpoint = "http") => Loopback(App.GetEndpoint(resource, endpoint));

    public string ConnectionString(string resource) => _connectionStrings[resource];

    public HttpClient CreateHttpClient(string resource) => new() { BaseAddress = Endpoint(resource), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A parameter's value (a generated secret such as <c>jwt-signing-key-private</c>).</summary>
    public string Parameter(string name)
        => App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().Single(p => p.Name == name)
            .GetValueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult() ?? "";

    /// <summary>The <paramref name="index"/>th instance of <paramref name="resource"/> (a replica, ordered by id; or a store).</summary>
    public SystemPart Part(string resource, int index = 0)
    {
        var instances = State.InstancesOf(resource);
        var isProject = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource) is ProjectResource;
        return new SystemPart(App, State, resource, instances[index].ResourceId, isProject);
    }

    /// <summary>Every instance of <paramref name="resource"/>.</summary>
    public IReadOnlyList<SystemPart> Parts(string resource) => [.. State.InstancesOf(resource).Select((_, i) => Part(resource, i))];

    /// <summary>
    /// Every line the system's processes have written so far (each replica's and store's console output, as the
    /// dashboard shows it), for tests that read the logs.
    /// </summary>
    public async Task<IReadOnlyList<string>> LogLinesAsync(CancellationToken cancellationToken = default)
        => [.. (await LogLinesByInstanceAsync(cancellationToken)).Values.SelectMany(l => l)];

    /// <summary>
    /// Each instance's console output (stdout and stderr) so far, by resource id (<c>api-xyz</c>, <c>realtime-abc</c>):
    /// the lines Aspire's orchestrator captured from the process, as the process wrote them. Nothing between the
    /// process and these lines rewrites them (the AppHost has no log filter; the only redaction is the service's own
    /// console formatter), so a secret a service writes is here verbatim.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> LogLinesByInstanceAsync(CancellationToken cancellationToken = default)
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var byInstance = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var part in State.Parts)
        {
            foreach (var instance in State.InstancesOf(part.Name))
            {
                var lines = new List<string>();
                await foreach (var batch in logs.GetAllAsync(instance.ResourceId).WithCancellation(cancellationToken))
                {
                    lines.AddRange(batch.Select(l => l.Content));
                }
                byInstance[instance.ResourceId] = lines;
            }
        }
        return byInstance;
    }

    /// <summary>
    /// Wipes Redis's data (FLUSHALL through an admin connection, which the append-only file records too), as a Redis
    /// that came back without its disk would be: every room's history, sequence and epoch, every session and presence
    /// key. For tests of what the system does after the loss; the services keep running and stay connected.
    /// </summary>
    public async Task WipeRedisAsync(string resource = "redis")
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(ConnectionString(resource));
        options.AllowAdmin = true;
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options).WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var endpoint in admin.GetEndPoints())
        {
            await admin.GetServer(endpoint).FlushAllDatabasesAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>
    /// Restarts Redis without its data, as a server that came back on an empty disk would: stops it (SIGTERM, which
    /// also writes its snapshot and append-only file), deletes its data folder (the AppHost's <c>{state}/redis/data</c>),
    /// starts it again and waits until it is healthy. Everything is gone: every room's history, sequence and epoch,
    /// every cached session and presence entry. The services keep running and reconnect by themselves.
    /// </summary>
    public async Task RestartRedisEmptyAsync(string resource = "redis")
    {
        var redis = Part(resource);
        try
        {
            await redis.StopAsync();
            var data = new DirectoryInfo(Path.Combine(StateDirectory, resource, "data"));
            Xunit.Assert.True(data.Exists, $"{data.FullName} is where the AppHost keeps {resource}'s data");
            foreach (var entry in data.EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo folder)
                {
                    folder.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }
        finally
        {
            if (redis.Pid is null)
            {
                await redis.StartAsync();
            }
        }
    }

    /// <summary>A replica's own address, bypassing the proxy (to pin a client to one replica).</summary>
    public Uri Replica(string resource, int index) => Part(resource, index).Url!;

    // Aspire's addresses say localhost; the services listen on loopback either way, and 127.0.0.1 skips the ::1 try.
    private static Uri Loopback(Uri uri) => new UriBuilder(uri) { Host = "127.0.0.1" }.Uri;
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemCollection : ICollectionFixture<AppHostFixture>
{
    /// <summary>Collections that start a whole system run one at a time: two cores.</summary>
    public const string Name = "system";
}
