using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>A host builder with nothing but the given settings, to read what a registration adds without starting anything.</summary>
public static class BareHost
{
    public static HostApplicationBuilder CreateBuilder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    /// <summary>The names of the health checks registered in <paramref name="host"/>.</summary>
    public static IEnumerable<string> HealthCheckNames(this IHost host)
        => host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name);
}
