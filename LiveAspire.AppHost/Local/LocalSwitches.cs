namespace LiveAspire.AppHost.Local;

/// <summary>The AppHost's short switches, mapped onto configuration keys (any <c>--AppHost:Key=value</c> works too).</summary>
public static class LocalSwitches
{
    public static readonly IReadOnlyDictionary<string, string> Mappings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--state-dir"] = "AppHost:StateDirectory",
        ["--port-range-start"] = "AppHost:PortRangeStart",
        ["--port-range-end"] = "AppHost:PortRangeEnd",
        ["--dashboard-port"] = "AppHost:DashboardPort",
        ["--demo"] = "AppHost:Demo",
        ["--demo-performers"] = "AppHost:DemoPerformers",
        ["--demo-viewers"] = "AppHost:DemoViewers",
    };

    /// <summary>Aspire's and the host's own switches (Aspire maps them onto its configuration keys).</summary>
    private static readonly HashSet<string> HostSwitches = new(StringComparer.OrdinalIgnoreCase)
    {
        "--operation", "--publisher", "--step", "--output-path", "--log-level", "--include-exception-details",
        "--clear-cache", "--dcp-cli-path", "--dcp-container-runtime", "--dcp-dependency-check-timeout",
        "--dcp-dashboard-path", "--resource", "--start-resource", "--command", "--workdir",
        "--environment", "--applicationName", "--contentRoot",
    };

    /// <summary>
    /// Refuses a switch nobody reads: configuration takes any <c>--key value</c>, so a mistyped <c>--state-dir</c>
    /// would otherwise be ignored and the run would use (and write to) the default state folder. A configuration key
    /// with a section (<c>--AppHost:Key=value</c>, <c>--DcpPublisher:Key=value</c>) is always accepted.
    /// </summary>
    public static void Check(IEnumerable<string> args)
    {
        foreach (var arg in args)
        {
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }
            var name = arg.Split('=', 2)[0];
            if (name.Contains(':', StringComparison.Ordinal) || Mappings.ContainsKey(name) || HostSwitches.Contains(name))
            {
                continue;
            }
            throw new StartupException(
                $"unknown switch {name}; the AppHost's are {string.Join(", ", Mappings.Keys)} (docs/apphost.md), and any setting can be given as --Section:Key=value");
        }
    }
}
