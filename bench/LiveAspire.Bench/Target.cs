using LiveAspire.AppHost.Hosting;
using LiveAspire.Api.Accounts;
using LiveAspire.Api.Seeding;
using LiveAspire.Infrastructure.Redis;
using LiveAspire.Infrastructure.Rooms;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveAspire.Bench;

/// <summary>
/// The system under test: either started here through the AppHost model (AppHost.cs's own entry point under the
/// testing hook, as the tests' AppHostFixture does: its own state folder and port block, Testing, no build), or a
/// running one given by addresses. Benchmarks talk to one Realtime replica's own address, never the proxy.
/// </summary>
public sealed class Target : IAsyncDisposable
{
    private DistributedApplication? _app;
    private DistributedApplicationTestingHook? _hook;
    private string? _stateDirectory;
    private ConnectionMultiplexer? _redis;

    public required Uri ReplicaUrl { get; init; }
    public int? RealtimePid { get; init; }
    public required string RedisConnectionString { get; init; }
    public required string LivedbConnectionString { get; init; }
    public required string SigningKeyPem { get; init; }

    public Uri HubUrl => new($"ws://{ReplicaUrl.Authority}/hubs/live");

    /// <param name="realtimeEnvironment">Extra environment variables for the Realtime processes only (experiments
    /// with runtime settings such as <c>DOTNET_GCgen0size</c>), as <c>KEY=VALUE</c> pairs.</param>
    public static async Task<Target> StartAsync(int portStart, IReadOnlyList<KeyValuePair<string, string>> realtimeEnvironment, TextWriter log)
    {
        var stateDirectory = Path.Combine(Path.GetTempPath(), $"liveaspire-bench-{Guid.NewGuid():N}");
        var hook = new DistributedApplicationTestingHook
        {
            ConfigureOptions = o =>
            {
                o.StateDirectory = stateDirectory;
                o.PortRangeStart = portStart;
                o.PortRangeEnd = portStart + 39;
                o.DashboardPort = 0;
                o.NoBuild = true;
                o.EnvironmentName = "Testing";
                o.ConsoleOutput = false;
            },
            // Every load connection comes from 127.0.0.1: lift the per-address cap (a production edge protection)
            // so the benchmark measures delivery, not the cap.
            ConfigureModel = b =>
            {
                var realtime = b.Resources.OfType<ProjectResource>().Single(r => r.Name == "realtime");
                realtime.Environment["Edge__MaxConnectionsPerIp"] = ReferenceExpression.Literal("1000000");
                foreach (var (key, value) in realtimeEnvironment)
                {
                    realtime.Environment[key] = ReferenceExpression.Literal(value);
                }
            },
        };
        var entryPoint = typeof(DistributedApplication).Assembly.EntryPoint!;
        log.WriteLine($"starting the system (state {stateDirectory}, ports {portStart}..{portStart + 39})");
        var app = await hook.RunEntryPointAsync(() =>
        {
            var result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            return result as Task ?? Task.CompletedTask;
        }, TimeSpan.FromSeconds(30));
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90)))
        {
            await app.StartAsync(cts.Token);
        }
        var replica = app.Orchestrator.GetRunner("realtime").Replicas[0];
        log.WriteLine($"system up: realtime-0 on 127.0.0.1:{replica.Port}, pid {replica.Pid}");
        return new Target
        {
            _app = app,
            _hook = hook,
            _stateDirectory = stateDirectory,
            ReplicaUrl = new Uri($"http://127.0.0.1:{replica.Port}"),
            RealtimePid = replica.Pid,
            RedisConnectionString = ((IResourceWithConnectionString)app.GetResource("redis")).ConnectionStringExpression.GetValue(),
            LivedbConnectionString = ((IResourceWithConnectionString)app.GetResource("livedb")).ConnectionStringExpression.GetValue(),
            SigningKeyPem = ((ParameterResource)app.GetResource("jwt-signing-key-private")).Value,
        };
    }

    /// <summary>Real users (Api's seeder: one binary COPY) and an access token for each.</summary>
    public async Task<List<string>> SeedTokensAsync(int count)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(LivedbConnectionString);
        var issuer = new AccessTokenIssuer(SigningKeyPem, TimeSpan.FromHours(1));
        var prefix = $"b{Guid.NewGuid():N}"[..10];
        var users = await UserSeeder.SeedAsync(dataSource, issuer, count, prefix);
        return [.. users.Select(u => u.AccessToken)];
    }

    private IRoomPublisher? _publisher;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Asks the replica for a full blocking compacting collection (<c>POST /replica/gc</c>, which exists only in the
    /// Testing environment) and returns its heap figures; null when the replica has no such route.
    /// </summary>
    public async Task<System.Text.Json.JsonElement?> CollectGarbageAsync()
    {
        using var response = await Http.PostAsync(new Uri(ReplicaUrl, "/replica/gc"), null);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public IRoomPublisher CreatePublisher()
    {
        if (_publisher is not null)
        {
            return _publisher;
        }
        // The services' own client settings, so the publisher behaves as Api's and Worker's do.
        var options = ConfigurationOptions.Parse(RedisConnectionString);
        RedisClientDefaults.Apply(options);
        _redis = ConnectionMultiplexer.Connect(options);
        return _publisher = new RoomPublisher(_redis, Microsoft.Extensions.Options.Options.Create(new RoomOptions()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.CloseAsync(allowCommandsToComplete: false);
            await _redis.DisposeAsync();
        }
        if (_app is not null)
        {
            try
            {
                await _app.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                // Seen once: the AppHost's stop threw from a PostgreSQL probe and left later resources running.
                // Make sure nothing this run started outlives it.
                Console.Error.WriteLine($"stopping the system threw {e.GetType().Name}; killing what is left of it");
                foreach (var resource in _app.Resources)
                {
                    try
                    {
                        foreach (var replica in _app.Orchestrator.GetRunner(resource.Name).Replicas)
                        {
                            if (replica.Pid is { } pid)
                            {
                                try
                                {
                                    System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
                                }
                                catch (Exception k) when (k is ArgumentException or InvalidOperationException)
                                {
                                }
                            }
                        }
                    }
                    catch (Exception g) when (g is InvalidOperationException or KeyNotFoundException)
                    {
                    }
                }
            }
            _hook!.Release();
            if (Environment.GetEnvironmentVariable("LIVEASPIRE_BENCH_KEEP_STATE") == "1")
            {
                Console.Error.WriteLine($"state kept in {_stateDirectory} (logs/ has every process's output)");
                return;
            }
            try
            {
                Directory.Delete(_stateDirectory!, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
