using LiveAspire.Hosting;
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

    /// <summary>
    /// Registers a store client with <paramref name="register"/> where <c>ConnectionStrings:{name}</c> is
    /// <paramref name="value"/>, and checks that start-up stops at once: a <see cref="ConfigurationException"/> naming
    /// the key and saying <paramref name="problem"/>, and nothing of the string's secret.
    /// </summary>
    public static void AssertConnectionStringRefused(string name, string? value, string problem, Action<HostApplicationBuilder, string> register)
    {
        var builder = CreateBuilder(new() { [$"ConnectionStrings:{name}"] = value });

        var error = Assert.Throws<ConfigurationException>(() => register(builder, name));

        Assert.Equal($"ConnectionStrings:{name}", error.Key);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The names of the health checks registered in <paramref name="host"/>.</summary>
    public static IEnumerable<string> HealthCheckNames(this IHost host)
        => host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name);
}
