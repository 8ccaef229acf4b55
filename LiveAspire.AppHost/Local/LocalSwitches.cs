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
    };
}
