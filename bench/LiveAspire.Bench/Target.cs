using LiveAspire.Api.Accounts;
using LiveAspire.Api.Seeding;
using LiveAspire.AppHost.Reporting;
using LiveAspire.AppHost.Stores;
using LiveAspire.Rooms.Redis;
using LiveAspire.Rooms;
using StackExchange.Redis;

namespace LiveAspire.Bench;

/// <summary>
/// The system under test, as the scenarios need it: one Realtime replica's own address (never the proxy in front of
/// the replicas: it would need two file handles per socket), the service's own process (not the <c>dotnet run</c>
/// wrapper Aspire starts it through) for RSS and CPU, and the stores' connection strings and the signing key to seed
/// users and publish. Either a system started here through the AppHost (<see cref="BenchSystem"/>), or a running one
/// described by its <c>endpoints.json</c> (<see cref="FromEndpointsFileAsync"/>).
/// </summary>
public sealed class Target : IAsyncDisposable
{
    /// <summary>The database the AppHost gives the services (AppHost.cs); endpoints.json lists servers, not databases.</summary>
    public const string DatabaseName = "livedb";

    private BenchSystem? _system;
    private ConnectionMultiplexer? _redis;
    private IRoomPublisher? _publisher;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public required Uri ReplicaUrl { get; init; }

    /// <summary>Every Realtime replica's own address (the chat scenario spreads its senders over them).</summary>
    public IReadOnlyList<Uri> ReplicaUrls { get; init; } = [];

    /// <summary>Each replica's hub.</summary>
    public IReadOnlyList<Uri> HubUrls => [.. (ReplicaUrls.Count > 0 ? ReplicaUrls : [ReplicaUrl]).Select(u => new Uri($"ws://{u.Authority}/hubs/live"))];
    public int? RealtimePid { get; init; }
    public required string RedisConnectionString { get; init; }
    public required string LivedbConnectionString { get; init; }
    public required string SigningKeyPem { get; init; }

    public Uri HubUrl => new($"ws://{ReplicaUrl.Authority}/hubs/live");

    /// <summary>Starts a system of its own through the AppHost (<see cref="BenchSystem"/>) and targets its replica.</summary>
    public static async Task<Target> StartAsync(int portStart, int replicaIndex, IReadOnlyList<KeyValuePair<string, string>> realtimeEnvironment, TextWriter log)
    {
        var system = await BenchSystem.StartAsync(portStart, realtimeEnvironment, log);
        try
        {
            var replica = system.Replica("realtime", replicaIndex);
            var target = new Target
            {
                _system = system,
                ReplicaUrl = Loopback(new Uri(replica.Url ?? throw new InvalidOperationException($"{replica.Id} has no address of its own"))),
                ReplicaUrls = [.. Enumerable.Range(0, 2).Select(i => system.Replica("realtime", i).Url).OfType<string>().Select(u => Loopback(new Uri(u)))],
                RealtimePid = replica.Pid,
                RedisConnectionString = await system.ConnectionStringAsync("redis"),
                LivedbConnectionString = await system.ConnectionStringAsync(DatabaseName),
                SigningKeyPem = await system.ParameterAsync("jwt-signing-key-private"),
            };
            CheckServiceProcess(target.RealtimePid, log);
            await target.WaitUntilReplicaHealthyAsync(TimeSpan.FromSeconds(120), log);
            log.WriteLine($"system up: {replica.Id} on {target.ReplicaUrl.Authority}, pid {replica.Pid} (launcher pid {replica.LauncherPid})");
            return target;
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A running system (<c>./run.sh</c>), from the <c>endpoints.json</c> it writes to its state folder once healthy:
    /// the replica's own address and process, the stores' addresses. Secrets are never in that file: they are read from
    /// the state folder's <c>secrets/</c> (files mode 600, so run as the user who started the system).
    /// </summary>
    public static async Task<Target> FromEndpointsFileAsync(string path, int replicaIndex, TextWriter log)
    {
        var addresses = JsonSerializer.Deserialize<SystemAddresses>(await File.ReadAllTextAsync(path))
            ?? throw new ArgumentException($"{path} is empty");
        ResourceAddresses Resource(string name) => addresses.Resources.SingleOrDefault(r => r.Name == name)
            ?? throw new ArgumentException($"{path} lists no resource '{name}'");
        var replicas = Resource("realtime").Replicas;
        if (replicaIndex < 0 || replicaIndex >= replicas.Count)
        {
            throw new ArgumentException($"{path} lists {replicas.Count} realtime replica(s); --replica-index {replicaIndex} is not one of them");
        }
        var replica = replicas[replicaIndex];
        var replicaUrl = Loopback(new Uri(replica.Url ?? throw new ArgumentException($"{path}: {replica.Id} has no address")));
        if (!replicaUrl.IsLoopback)
        {
            throw new ArgumentException("the benchmark targets 127.0.0.1 only");
        }
        // The file is in the state folder; its stateDirectory says the same unless the folder was moved.
        var state = Directory.Exists(Path.Combine(addresses.StateDirectory, "secrets"))
            ? addresses.StateDirectory
            : Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Secret(string name) => File.ReadAllText(Path.Combine(state, "secrets", name)).Trim();
        int StorePort(string name) => new Uri(Resource(name).Url ?? throw new ArgumentException($"{path}: {name} has no address")).Port;

        var target = new Target
        {
            ReplicaUrl = replicaUrl,
            ReplicaUrls = [.. replicas.Select(r => r.Url).OfType<string>().Select(u => Loopback(new Uri(u)))],
            RealtimePid = replica.Pid,
            RedisConnectionString = $"127.0.0.1:{StorePort("redis")},password={Secret("redis-password")}",
            LivedbConnectionString = $"Host=127.0.0.1;Port={StorePort("postgres")};Username={LocalPostgresResource.UserName};"
                + $"Password={Secret("postgres-password")};Database={DatabaseName}",
            SigningKeyPem = Secret("jwt-signing-key"),
        };
        log.WriteLine($"target: {replica.Id} on {replicaUrl.Authority}, pid {replica.Pid} (launcher pid {replica.LauncherPid}), state {state}");
        CheckServiceProcess(target.RealtimePid, log);
        await target.WaitUntilReplicaHealthyAsync(TimeSpan.FromSeconds(30), log);
        return target;
    }

    /// <summary>
    /// Until the replica's own <c>/health</c> answers 200. The orchestrator probes a replicated project through its
    /// proxy, so "every replica healthy" can be reported while the replica the bench targets does not listen yet (seen
    /// under load: every connection refused right after the system reported healthy).
    /// </summary>
    private async Task WaitUntilReplicaHealthyAsync(TimeSpan timeout, TextWriter log)
    {
        var health = new Uri(ReplicaUrl, "/health");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < timeout)
        {
            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                using var response = await Http.GetAsync(health, probe.Token);
                if (response.IsSuccessStatusCode)
                {
                    if (clock.Elapsed > TimeSpan.FromSeconds(1))
                    {
                        log.WriteLine($"{ReplicaUrl.Authority} answered /health after {clock.Elapsed.TotalSeconds:0.0} s more");
                    }
                    return;
                }
                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        }
        throw new InvalidOperationException($"the replica's own {health} did not answer 200 within {timeout.TotalSeconds:0} s ({last})");
    }

    /// <summary>Figures are about the service's own process: say so when the pid is gone or is not Realtime's.</summary>
    private static void CheckServiceProcess(int? pid, TextWriter log)
    {
        if (pid is not { } p)
        {
            log.WriteLine("warning: no process id for the replica; RSS and server CPU cannot be read");
            return;
        }
        var cmdline = File.Exists($"/proc/{p}/cmdline") ? File.ReadAllText($"/proc/{p}/cmdline").Replace('\0', ' ') : null;
        if (cmdline is null)
        {
            throw new InvalidOperationException($"process {p} is not running (a stale endpoints.json?)");
        }
        if (!cmdline.Contains("LiveAspire.Realtime", StringComparison.Ordinal) || cmdline.Contains(" run ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"process {p} is not the Realtime service itself: {cmdline.Trim()}");
        }
    }

    // Aspire's addresses say localhost; the services listen on loopback either way, and 127.0.0.1 skips the ::1 try.
    private static Uri Loopback(Uri uri) => new UriBuilder(uri) { Host = "127.0.0.1" }.Uri;

    /// <summary>Real users (Api's seeder: one binary COPY) and an access token for each.</summary>
    public async Task<List<string>> SeedTokensAsync(int count)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(LivedbConnectionString);
        var issuer = new AccessTokenIssuer(SigningKeyPem, TimeSpan.FromHours(1));
        var prefix = $"b{Guid.NewGuid():N}"[..10];
        var users = await UserSeeder.SeedAsync(dataSource, issuer, count, prefix);
        return [.. users.Select(u => u.AccessToken)];
    }

    /// <summary>
    /// Asks the replica for a full blocking compacting collection (<c>POST /replica/gc</c>, which exists only in the
    /// Testing environment) and returns its heap figures; null when the replica has no such route.
    /// </summary>
    public async Task<JsonElement?> CollectGarbageAsync()
    {
        using var response = await Http.PostAsync(new Uri(ReplicaUrl, "/replica/gc"), null);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.MethodNotAllowed)
        {
            return null;
        }
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
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
        if (_system is not null)
        {
            await _system.DisposeAsync();
        }
    }
}
