using LiveAspire.AppHost.Hosting;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>One console line per resource state or health change, and a summary once everything is up.</summary>
internal static class ConsoleReporter
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, string> Last = [];

    public static void Report(ResourceRunner runner)
    {
        foreach (var replica in runner.Replicas)
        {
            var line = $"{replica.State}/{replica.Health}";
            lock (Gate)
            {
                if (Last.TryGetValue(replica.Id, out var previous) && previous == line)
                {
                    continue;
                }
                Last[replica.Id] = line;
            }
            Console.WriteLine($"  {replica.Id,-14} {replica.State,-10} {replica.Health,-9} pid {replica.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
        }
    }

    public static void Ready(DistributedApplication app)
    {
        Console.WriteLine("LiveAspire is up:");
        foreach (var resource in app.Resources.Where(r => r.Endpoints.Count > 0))
        {
            foreach (var endpoint in resource.Endpoints)
            {
                Console.WriteLine($"  {resource.Name,-10} {endpoint.Url}");
            }
        }
        Console.WriteLine($"  dashboard  {app.DashboardUrl}");
        Console.WriteLine("Press Ctrl+C to stop.");
    }
}
