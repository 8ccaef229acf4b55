using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using LiveAspire.AppHost.Reporting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LiveAspire.Bench;

/// <summary>
/// A whole system of the bench's own, started from the AppHost itself (AppHost.cs, unchanged) with
/// Aspire.Hosting.Testing, as the tests' AppHostFixture does: its own state folder under /tmp and its own 40-port
/// block (below 32768, clear of the load's client sockets), the Testing environment (so <c>POST /replica/gc</c>
/// exists), and the projects' output of the bench's own build configuration, not rebuilt. Realtime's per-address cap
/// is lifted, since every load socket comes from 127.0.0.1; no project exports telemetry. Stopped, and its folder
/// deleted, at the end.
/// </summary>
public sealed class BenchSystem : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(90);

    private readonly CancellationTokenSource _watching = new();
    private readonly DistributedApplication _app;
    private readonly DistributedApplicationModel _model;
    private readonly string _stateDirectory;
    private Task _watch = Task.CompletedTask;

    private BenchSystem(DistributedApplication app, string stateDirectory)
    {
        _app = app;
        _stateDirectory = stateDirectory;
        _model = app.Services.GetRequiredService<DistributedApplicationModel>();
        State = new SystemState(_model);
    }

    public SystemState State { get; }

    /// <param name="realtimeEnvironment">Extra environment variables for the Realtime replicas only (experiments with
    /// runtime settings such as <c>DOTNET_GCgen0size</c>, or <c>Section__Key</c> configuration).</param>
    public static async Task<BenchSystem> StartAsync(int portStart, IReadOnlyList<KeyValuePair<string, string>> realtimeEnvironment, TextWriter log)
    {
        var stateDirectory = Path.Combine(Path.GetTempPath(), $"liveaspire-bench-{Guid.NewGuid():N}");
        var portEnd = portStart + 36;
        var dashboardPort = portStart + 37; // and the next two: the AppHost refuses to start when they are taken
        // Aspire.Hosting.Testing gives proxied endpoints random ports unless told otherwise; those land in the kernel's
        // ephemeral range (32768+), where the load's own client sockets come from. Keep the AppHost's block instead.
        string[] args = ["--state-dir", stateDirectory, "--port-range-start", $"{portStart}", "--port-range-end", $"{portEnd}",
            "--dashboard-port", $"{dashboardPort}", "--DcpPublisher:RandomizePorts=false"];
        log.WriteLine($"starting the system (state {stateDirectory}, ports {portStart}..{portStart + 39})");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LiveAspire_AppHost>(args, (options, settings) =>
        {
            // Every project runs in Testing (the AppHost passes its environment name on): the forced-collection route.
            settings.EnvironmentName = "Testing";
            // The processes' output stays in the orchestrator; the bench's stderr is for its own progress.
            options.EnableResourceLogging = false;
            settings.Configuration ??= new();
            settings.Configuration["Logging:LogLevel:Default"] = "Warning";
            settings.Configuration["Logging:LogLevel:Aspire.Hosting.Dcp"] = "Error";
            // Health checks fail while parts start; the bench waits for health itself.
            settings.Configuration["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "None";
        });
        // Stdout carries the scenarios' JSON lines only: the AppHost's own log goes to stderr, warnings and up (health
        // checks fail while parts start, and the bench waits for health itself).
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddLogging(logging => logging
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None));
        // No telemetry export: the testing builder runs no dashboard, yet Aspire still points every project's OTLP
        // exporter at one (localhost:4317), so each would serialize and retry batches to nowhere. Issue 9's figures had
        // no exporter either. (--realtime-env OTEL_EXPORTER_OTLP_ENDPOINT=... puts one back for Realtime.)
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            builder.CreateResourceBuilder(project).WithEnvironment(context =>
            {
                context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
                context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_PROTOCOL");
            });
        }
        var realtime = builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "realtime"));
        // Every load connection comes from 127.0.0.1: lift the per-address cap (a production edge protection) so the
        // benchmark measures delivery, not the cap.
        realtime.WithEnvironment("Edge__MaxConnectionsPerIp", "1000000");
        foreach (var (key, value) in realtimeEnvironment)
        {
            realtime.WithEnvironment(key, value);
        }

        var system = new BenchSystem(await builder.BuildAsync(), stateDirectory);
        try
        {
            system._watch = system.State.WatchAsync(system._app.ResourceNotifications, system._watching.Token);
            using var timeout = new CancellationTokenSource(StartTimeout);
            await system._app.StartAsync(timeout.Token);
            // Each replica answering on its own address, not only its proxy (SystemState.AllServingAsync).
            while (!await system.State.AllServingAsync(timeout.Token))
            {
                await Task.Delay(200, timeout.Token);
            }
        }
        catch
        {
            await system.DisposeAsync();
            throw;
        }
        log.WriteLine($"system healthy after {started.Elapsed.TotalSeconds:0.0} s");
        return system;
    }

    /// <summary>The <paramref name="index"/>th replica of a project (ordered by id): its own address and processes.</summary>
    public ReplicaAddresses Replica(string resource, int index)
    {
        var instances = State.InstancesOf(resource);
        if (index < 0 || index >= instances.Count)
        {
            throw new ArgumentException($"{resource} has {instances.Count} replica(s); there is no replica {index}");
        }
        return SystemState.ReplicaOf(instances[index]);
    }

    public async Task<string> ConnectionStringAsync(string resource)
        => await _model.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == resource)
            .ConnectionStringExpression.GetValueAsync(CancellationToken.None) ?? "";

    public async Task<string> ParameterAsync(string name)
        => await _model.Resources.OfType<ParameterResource>().Single(p => p.Name == name).GetValueAsync(CancellationToken.None) ?? "";

    public async ValueTask DisposeAsync()
    {
        // Every process this system runs (the services' own and their launchers, the stores), with its start time so a
        // reused process id is never taken for one of them.
        var processes = State.Parts.SelectMany(p => State.InstancesOf(p.Name))
            .SelectMany(e => e.Resource is ProjectResource
                ? SystemState.ReplicaOf(e) is var r ? new[] { r.Pid, r.LauncherPid } : []
                : [SystemState.PidOf(e.Snapshot)])
            .OfType<int>().Distinct()
            .Select(pid => (Pid: pid, Started: StartTimeOf(pid))).Where(p => p.Started is not null).ToList();
        bool IsAlive((int Pid, long? Started) p) => StartTimeOf(p.Pid) == p.Started;
        try
        {
            await _app.StopAsync().WaitAsync(StopTimeout);
            await _app.DisposeAsync().AsTask().WaitAsync(StopTimeout);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"stopping the system threw {e.GetType().Name}; killing what is left of it");
            Kill(processes.Where(IsAlive));
        }
        // The orchestrator ends the processes after the stop returns: wait for them (bounded), so the next run starts on
        // a quieter machine with its ports free, and kill what outlives the wait. Nothing this run started outlives it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (processes.Any(IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }
        var left = processes.Where(IsAlive).ToList();
        if (left.Count > 0)
        {
            Console.Error.WriteLine($"{left.Count} process(es) of the system outlived the stop by 30 s; killing them");
            Kill(left);
        }
        await _watching.CancelAsync();
        await _watch;
        _watching.Dispose();
        if (Environment.GetEnvironmentVariable("LIVEASPIRE_BENCH_KEEP_STATE") == "1")
        {
            Console.Error.WriteLine($"state kept in {_stateDirectory}");
            return;
        }
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void Kill(IEnumerable<(int Pid, long? Started)> processes)
    {
        foreach (var (pid, _) in processes)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception k) when (k is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone already.
            }
        }
    }

    /// <summary>When the process started (null when there is none by that id, or it has exited and is not yet reaped).</summary>
    private static long? StartTimeOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is the state (Z: exited, not reaped); fields[19] the start time in clock ticks since boot.
            return fields[0] == "Z" ? null : long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
