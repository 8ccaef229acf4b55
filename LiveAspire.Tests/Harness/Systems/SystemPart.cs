using System.Runtime.InteropServices;
using LiveAspire.AppHost.Reporting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// One running part of a test system (a replica of a project, or Redis, or PostgreSQL) as fault tests need it: its
/// own address, the service's own process (Aspire starts projects through <c>dotnet run</c>: signalling the launcher
/// would leave the service running), and stopping, killing, pausing and starting it again. Aspire never restarts a
/// process that exits: a test that breaks a part of a shared system starts it again.
/// </summary>
public sealed partial class SystemPart(DistributedApplication app, SystemState state, string resource, string id, bool isProject)
{
    private const int SigInt = 2, SigKill = 9, SigTerm = 15, SigCont = 18, SigStop = 19;

    public string Resource { get; } = resource;

    /// <summary>The orchestrator's name for this instance (its <c>service.instance.id</c>).</summary>
    public string Id { get; } = id;

    private ResourceEvent? Latest => state.InstancesOf(Resource).FirstOrDefault(e => e.ResourceId == Id);

    /// <summary>The replica's own address (bypassing the proxy); for a store, null.</summary>
    public Uri? Url => Latest is { } e && SystemState.ReplicaOf(e).Url is { } url ? new Uri(url.Replace("localhost", "127.0.0.1", StringComparison.Ordinal)) : null;

    /// <summary>
    /// The process to signal and measure: the service itself, or the store's server. Null while stopped, and for a
    /// project also while its <c>dotnet run</c> has not started the service yet (seconds on a loaded machine).
    /// </summary>
    public int? Pid => Latest is { } e && IsRunning(e) && SystemState.PidOf(e.Snapshot) is { } launcher
        ? (isProject ? ServiceProcess.OwnProcessOf(launcher) : launcher) : null;

    /// <summary>
    /// Running, healthy in Aspire's eyes, and for a project its own <c>/health</c> answers. Aspire alone is not
    /// enough for a replica: its health check goes through the proxy, which any other healthy replica answers.
    /// </summary>
    public async Task<bool> IsHealthyAsync()
    {
        if (Latest is not { } e || !IsRunning(e) || e.Snapshot.HealthStatus != HealthStatus.Healthy)
        {
            return false;
        }
        if (!isProject)
        {
            return true;
        }
        return await SystemState.IsServingAsync(SystemState.ReplicaOf(e));
    }

    /// <summary>Sends SIGTERM (a graceful stop, as a deploy does) and waits until the process has exited.</summary>
    public Task StopAsync(TimeSpan? timeout = null) => SignalAndWaitForExitAsync(SigTerm, timeout);

    /// <summary>
    /// Sends SIGINT and waits until the process has exited: for PostgreSQL its fast shutdown, which ends every session.
    /// SIGTERM is PostgreSQL's smart shutdown, which waits for every client to disconnect, and the services' pools never do.
    /// </summary>
    public Task InterruptAsync(TimeSpan? timeout = null) => SignalAndWaitForExitAsync(SigInt, timeout);

    /// <summary>Sends SIGKILL (a crash) and waits until the process has exited.</summary>
    public Task KillAsync(TimeSpan? timeout = null) => SignalAndWaitForExitAsync(SigKill, timeout);

    /// <summary>Freezes the process (SIGSTOP): it holds its sockets and answers nothing, like a stalled machine.</summary>
    public void Pause() => Signal(SigStop);

    public void Continue() => Signal(SigCont);

    /// <summary>Starts the part again after it stopped, and waits until it is healthy.</summary>
    public async Task StartAsync(TimeSpan? timeout = null)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(Id, KnownResourceCommands.StartCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Starting {Id} failed: {result.Message}");
        }
        await Eventually.UntilAsync(IsHealthyAsync, $"{Id} healthy again (its own /health answering)", timeout ?? TestSystems.StartTimeout);
    }

    private async Task SignalAndWaitForExitAsync(int signal, TimeSpan? timeout)
    {
        var pid = Pid ?? throw new InvalidOperationException($"{Id} is not running.");
        Signal(signal, pid);
        await Eventually.UntilAsync(() => !File.Exists($"/proc/{pid}/stat") && Latest is { } e && !IsRunning(e),
            $"{Id} (pid {pid}) to exit", timeout ?? TimeSpan.FromSeconds(60));
    }

    private void Signal(int signal, int? pid = null)
    {
        var target = pid ?? Pid ?? throw new InvalidOperationException($"{Id} is not running.");
        if (Kill(target, signal) != 0)
        {
            throw new InvalidOperationException($"kill({target}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static bool IsRunning(ResourceEvent e) => e.Snapshot.State?.Text == KnownResourceStates.Running;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
