using System.Diagnostics;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>One started child process: its output goes to a <see cref="LogBuffer"/>; it stops with a chosen signal.</summary>
public sealed class ManagedProcess
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>Completes with the exit code when the process has exited.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public static ManagedProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, LogBuffer log)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Append("stdout", e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Append("stderr", e.Data); };
        process.Exited += (_, _) =>
        {
            // WaitForExit() without a timeout also waits for the output pipes to drain, so the last lines
            // (often the reason it exited) are in the log before anyone reacts to the exit.
            process.WaitForExit();
            managed._exited.TrySetResult(process.ExitCode);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="timeout"/>, then kills the whole tree.</summary>
    public async Task StopAsync(int signal, TimeSpan timeout)
    {
        if (HasExited)
        {
            return;
        }
        PosixSignals.Send(Pid, signal);
        if (await Task.WhenAny(Exited, Task.Delay(timeout)) != Exited)
        {
            Kill();
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5)));
        }
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
