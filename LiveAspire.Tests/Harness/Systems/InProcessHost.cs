using LiveAspire.Realtime;
using LiveAspire.Realtime.Edge;
using LiveAspire.Realtime.Hubs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// A service built inside the test process with its own registrations (AddServiceDefaults and its Add*Services),
/// against the real Redis and PostgreSQL of an <see cref="ApiFixture"/>, for tests that must reach into it: its
/// lifetime (stopping it), its exporters, its services.
/// </summary>
public static class InProcessHost
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The settings the AppHost would give a service of <paramref name="stores"/>' system, plus <paramref name="more"/>.</summary>
    public static Dictionary<string, string?> Settings(ApiFixture stores, string instance, Dictionary<string, string?>? more = null)
        => new(more ?? [])
        {
            ["ConnectionStrings:redis"] = stores.ConnectionString("redis"),
            ["ConnectionStrings:livedb"] = stores.ConnectionString("livedb"),
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={instance}",
            ["Auth:PublicKeyPem"] = stores.Parameter("jwt-signing-key-public"),
        };

    /// <summary>Builds (does not start) a host in the <c>Testing</c> environment, as the test systems run every service.</summary>
    public static WebApplication Build(Dictionary<string, string?> settings, Action<WebApplicationBuilder> add)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        add(builder);
        return builder.Build();
    }

    /// <summary>Starts <paramref name="app"/> on a free loopback port.</summary>
    public static async Task<WebApplication> StartAsync(WebApplication app, Action<WebApplication>? map = null)
    {
        app.Urls.Add("http://127.0.0.1:0");
        map?.Invoke(app);
        await app.StartAsync().WaitAsync(Deadline);
        return app;
    }

    /// <summary>Realtime's pipeline as its Program.cs builds it (the hub behind the edge and authentication).</summary>
    public static Task<WebApplication> StartRealtimeAsync(Dictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
        => StartAsync(Build(settings, b =>
        {
            b.AddRealtimeServices();
            configure?.Invoke(b);
        }), app =>
        {
            app.UseEdgeBeforeAuthentication();
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseEdgeAfterAuthentication();
            app.MapEdgeHub<LiveHub>(LiveHub.Path);
        });

    public static Uri AddressOf(WebApplication app)
        => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
