using System.Runtime.InteropServices;
using LiveAspire.AppHost.Dashboard;
using LiveAspire.AppHost.Orchestration;
using LiveAspire.AppHost.Publishing;

namespace LiveAspire.AppHost.Hosting;

/// <summary>A built model, ready to run (or to publish as a manifest). Aspire's DistributedApplication, in small.</summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationBuilder _builder;
    private DashboardServer? _dashboard;
    private int _disposed;

    internal DistributedApplication(DistributedApplicationBuilder builder)
    {
        _builder = builder;
        var options = builder.Options;
        var context = new RunContext(options, options.RepositoryRoot!, options.StateDirectory!,
            new PortAllocator(options.PortRangeStart, options.PortRangeEnd));
        Context = context;
        Orchestrator = new Orchestrator(builder.Resources, context, LogRedaction.Redact);
    }

    public static IDistributedApplicationBuilder CreateBuilder(string[] args)
        => new DistributedApplicationBuilder(args, DistributedApplicationTestingHook.Current?.ConfigureOptions);

    public IReadOnlyList<Resource> Resources => _builder.Resources;
    public DistributedApplicationOptions Options => _builder.Options;
    public RunContext Context { get; }
    public Orchestrator Orchestrator { get; }

    /// <summary>Dashboard base address, once started.</summary>
    public Uri? DashboardUrl => _dashboard?.Url;

    public Resource GetResource(string name) => Resources.First(r => r.Name == name);

    /// <summary>Starts everything and returns once every resource is healthy; throws a one-line error otherwise.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_builder.ConfigurationError is { } error)
        {
            throw error;
        }
        PrepareStateDirectory();
        var ports = Context.Ports;
        var dashboardPort = Options.DashboardPort == 0 ? ports.Allocate("dashboard") : Options.DashboardPort;
        if (Options.DashboardPort != 0)
        {
            ports.Reserve(dashboardPort, "the dashboard", "AppHost:DashboardPort (--dashboard-port)");
        }
        _dashboard = new DashboardServer(this, dashboardPort);
        await _dashboard.StartAsync(cancellationToken);
        if (Options.ConsoleOutput)
        {
            Console.WriteLine($"LiveAspire dashboard: {_dashboard.Url}  (state: {Options.StateDirectory})");
            Orchestrator.Changed += ConsoleReporter.Report;
        }
        await Orchestrator.StartAsync(cancellationToken);
        if (Options.ConsoleOutput)
        {
            ConsoleReporter.Ready(this);
        }
    }

    private void PrepareStateDirectory()
    {
        var state = Options.StateDirectory!;
        Directory.CreateDirectory(state);
        // Traversable by the postgres user (its data folder lives below), writable only by us.
        File.SetUnixFileMode(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public async Task StopAsync()
    {
        await Orchestrator.StopAsync();
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
            _dashboard = null;
        }
    }

    /// <summary>
    /// Runs until Ctrl+C or SIGTERM, or publishes the manifest when asked. Start-up problems print one line
    /// (<c>error: ...</c>) and set exit code 1. Under the testing builder, hands the app to the test instead.
    /// </summary>
    public async Task RunAsync()
    {
        if (DistributedApplicationTestingHook.Current is { } hook)
        {
            await hook.HandOverAsync(this);
            return;
        }
        if (_builder.ConfigurationError is { } error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            Environment.ExitCode = 1;
            return;
        }
        if (_builder.ManifestOutputPath is { } manifestPath)
        {
            ManifestPublisher.Write(this, manifestPath);
            Console.WriteLine($"manifest written to {Path.GetFullPath(manifestPath)}");
            return;
        }

        // A bug that escapes every handler still gets said plainly (with its stack, since it is ours to fix).
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            Console.Error.WriteLine($"error: internal failure in the AppHost: {e.ExceptionObject}");

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cts = new CancellationTokenSource();
        // The signal handler only completes a task: cancelling (and any callback a cancellation runs) happens on
        // the thread pool, where a failure is an ordinary exception and not a crash of the signal thread.
        _ = stop.Task.ContinueWith(_ => cts.Cancel(), CancellationToken.None,
            TaskContinuationOptions.RunContinuationsAsynchronously, TaskScheduler.Default);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // We shut down ourselves, in order.
            stop.TrySetResult();
        }

        try
        {
            await StartAsync(cts.Token);
            await stop.Task;
            Console.WriteLine("stopping...");
        }
        catch (DistributedApplicationException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Environment.ExitCode = 1;
        }
        catch (OperationCanceledException) when (stop.Task.IsCompleted)
        {
            Console.WriteLine("stopping...");
        }
        finally
        {
            try
            {
                await DisposeAsync();
            }
            catch (Exception e)
            {
                // Still one line, and a non-zero exit: the operator should look for leftover processes.
                Console.Error.WriteLine($"error: stopping failed: {e.GetType().Name}: {e.Message}");
                Environment.ExitCode = 1;
            }
        }
    }

    public void Run() => RunAsync().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await StopAsync();
        await Orchestrator.DisposeAsync();
    }
}
