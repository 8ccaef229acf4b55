using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LiveAspire.AppHost.Reporting;

/// <summary>
/// Once every store and every replica is healthy (each replica answering on its own address), prints the addresses (the dashboard's login address first) and
/// writes them, with each service's own process id, to <c>{state}/endpoints.json</c>; the file is rewritten whenever
/// a replica restarts, so it stays true while the system runs.
/// </summary>
public static class EndpointsReport
{
    public const string FileName = "endpoints.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static IDistributedApplicationBuilder AddEndpointsReport(this IDistributedApplicationBuilder builder, LocalEnvironment? local)
    {
        if (local is null)
        {
            return builder;
        }
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((@event, cancellationToken) =>
        {
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            var configuration = @event.Services.GetRequiredService<IConfiguration>();
            var stopping = @event.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
            _ = WatchAsync(@event.Model, notifications, configuration, local, stopping);
            return Task.CompletedTask;
        });
        return builder;
    }

    private static async Task WatchAsync(DistributedApplicationModel model, ResourceNotificationService notifications,
        IConfiguration configuration, LocalEnvironment local, CancellationToken stopping)
    {
        var state = new SystemState(model);
        var watching = state.WatchAsync(notifications, stopping);
        var reported = false;
        string? written = null;
        // Looked at every second, not only on notifications: a replica starts listening (and its service process
        // appears under dotnet run) after the orchestrator's last word about it.
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await ticks.WaitForNextTickAsync(stopping))
            {
                if (!reported && !await state.AllServingAsync(stopping))
                {
                    continue;
                }
                var addresses = new SystemAddresses(DashboardAddress(configuration), local.StateDirectory, state.Addresses());
                var json = JsonSerializer.Serialize(addresses, Json);
                if (json != written)
                {
                    // Whole or not at all for a reader: written beside it, then renamed over it.
                    var path = Path.Combine(local.StateDirectory, FileName);
                    await File.WriteAllTextAsync(path + ".tmp", json, stopping);
                    File.Move(path + ".tmp", path, overwrite: true);
                    written = json;
                }
                if (!reported)
                {
                    Print(addresses);
                    reported = true;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await watching;
    }

    /// <summary>The dashboard's address with its login token (the dashboard asks for it once per browser).</summary>
    private static string? DashboardAddress(IConfiguration configuration)
    {
        var url = configuration["ASPNETCORE_URLS"]?.Split(';')[0];
        return url is null ? null
            : configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{url.TrimEnd('/')}/login?t={token}" : url;
    }

    private static void Print(SystemAddresses addresses)
    {
        var lines = new List<string> { "LiveAspire is up:", $"  {"dashboard",-10} {addresses.Dashboard}" };
        foreach (var resource in addresses.Resources)
        {
            lines.Add($"  {resource.Name,-10} {resource.Url}");
            if (resource.Replicas.Count > 1)
            {
                lines.AddRange(resource.Replicas.Select(r => $"  {"",-10}   {r.Id}: {r.Url} (pid {r.Pid})"));
            }
        }
        lines.Add($"  {"addresses",-10} {Path.Combine(addresses.StateDirectory, FileName)}");
        lines.Add("Press Ctrl+C to stop.");
        Console.Out.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
