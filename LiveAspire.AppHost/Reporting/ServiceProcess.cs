using System.Globalization;

namespace LiveAspire.AppHost.Reporting;

/// <summary>
/// The orchestrator starts a project through <c>dotnet run</c>, which starts the service as its child: the process
/// id in the resource's snapshot is the wrapper's. Signals, memory and CPU figures are about the service's own.
/// </summary>
public static class ServiceProcess
{
    /// <summary>
    /// The service <c>dotnet run</c> (<paramref name="wrapperPid"/>) started: its child that is not another
    /// <c>dotnet</c> (the project's own executable). Null until it exists, which takes seconds on a loaded machine.
    /// </summary>
    public static int? OwnProcessOf(int wrapperPid)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ParentOf(pid) == wrapperPid && ExecutableName(pid) is { } name && name != "dotnet")
            {
                return pid;
            }
        }
        return null;
    }

    private static string? ExecutableName(int pid)
    {
        try
        {
            return Path.GetFileName(new FileInfo($"/proc/{pid}/exe").ResolveLinkTarget(returnFinalTarget: false)?.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // gone meanwhile
        }
    }

    /// <summary>The parent process id from <c>/proc/{pid}/stat</c> (the field after the parenthesised name).</summary>
    public static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // gone meanwhile
        }
    }
}
