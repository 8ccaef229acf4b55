using System.Text.Json;
using LiveAspire.AppHost.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveAspire.AppHost.Dashboard;

/// <summary>
/// The dashboard on a loopback port: <c>/</c> is the page, <c>/api/resources</c> the same data as JSON for scripts
/// and tests, <c>/api/logs/{replica}?after=N</c> a replica's log lines after N (the page polls it: a live tail).
/// </summary>
internal sealed class DashboardServer(DistributedApplication app, int port) : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private WebApplication? _web;

    public Uri Url { get; } = new($"http://127.0.0.1:{port}/");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "LiveAspire.Dashboard" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(Url.ToString().TrimEnd('/'));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        var web = builder.Build();

        web.MapGet("/", () => Results.Content(DashboardPage.Html, "text/html; charset=utf-8"));
        web.MapGet("/api/resources", () => Results.Json(DashboardModel.Snapshot(app), Json));
        web.MapGet("/api/logs/{replica}", (string replica, long? after) =>
        {
            var target = app.Orchestrator.Runners.SelectMany(r => r.Replicas).FirstOrDefault(r => r.Id == replica);
            return target is null
                ? Results.NotFound(new { error = $"no replica named '{replica}'" })
                : Results.Json(target.Log.GetAfter(after ?? 0), Json);
        });
        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await web.DisposeAsync();
            throw new Orchestration.DistributedApplicationException(
                $"the dashboard cannot listen on {Url} ({e.Message}); set AppHost:DashboardPort (--dashboard-port) to a free port");
        }
        _web = web;
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }
    }
}
