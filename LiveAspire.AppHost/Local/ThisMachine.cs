using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace LiveAspire.AppHost.Local;

public static class ThisMachine
{
    /// <summary>Dashboard address on loopback; the OTLP and resource-service ports follow it.</summary>
    public const int DefaultDashboardPort = 18888;

    /// <summary>
    /// Run mode on this machine: the short switches, the dashboard on loopback over plain HTTP with its login token
    /// (docs/apphost.md), the state folder and the port block. Returns null in publish mode, where nothing of this
    /// machine belongs in the model.
    /// </summary>
    public static LocalEnvironment? ForThisMachine(this IDistributedApplicationBuilder builder, string[] args)
    {
        LocalSwitches.Check(args);
        builder.Configuration.AddCommandLine(args, LocalSwitches.Mappings.ToDictionary());
        if (builder.ExecutionContext.IsPublishMode)
        {
            return null;
        }
        var dashboard = builder.Configuration.GetValue($"{LocalSettings.SectionName}:DashboardPort", DefaultDashboardPort);
        // Under every other source: an explicit ASPNETCORE_URLS or ASPIRE_* setting still wins.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{dashboard}",
                ["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{dashboard + 1}",
                ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = $"http://127.0.0.1:{dashboard + 2}",
                // Plain HTTP on loopback; the dashboard still asks for the login token it prints.
                ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
            },
        });
        // Aspire would start without a dashboard and only log it: say it on one line instead.
        foreach (var port in new[] { dashboard, dashboard + 1, dashboard + 2 })
        {
            if (!PortBlock.IsFree(port))
            {
                throw new StartupException(
                    $"port {port} for the dashboard is taken by another process; choose another with --dashboard-port (the dashboard takes that port and the next two)");
            }
        }
        return LocalEnvironment.Create(builder);
    }
}
