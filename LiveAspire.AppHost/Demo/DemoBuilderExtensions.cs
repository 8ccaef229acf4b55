using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace LiveAspire.AppHost.Demo;

public static class DemoBuilderExtensions
{
    /// <summary>Name of the demo's resource on the dashboard.</summary>
    public const string ResourceName = "demo";

    /// <summary>Secret every demo account is registered and signed in with, generated once into the state folder.</summary>
    public const string PasswordSecret = "demo-account-password";

    /// <summary>
    /// The demo (LiveAspire.Demo, docs/demo.md) when <see cref="DemoSettings"/> has it on: a client of Api and
    /// Realtime like any other, started once both are healthy, with its size and its accounts' password. Run mode
    /// only: a deployment never includes it (publish mode has no <paramref name="local"/>).
    /// </summary>
    public static IDistributedApplicationBuilder AddDemo(this IDistributedApplicationBuilder builder, LocalEnvironment? local,
        IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> realtime)
    {
        if (local is null)
        {
            return builder;
        }
        var settings = DemoSettings.Read(builder.Configuration, builder.Environment);
        if (!settings.On)
        {
            return builder;
        }
        var password = builder.AddSecret(PasswordSecret, local);
        builder.AddService<Projects.LiveAspire_Demo>(ResourceName, local)
            .WithReference(api).WithReference(realtime)
            .WaitFor(api).WaitFor(realtime)
            .WithEnvironment("Demo__Performers", settings.Performers.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Demo__Viewers", settings.Viewers.ToString(CultureInfo.InvariantCulture))
            .WithEnvironment("Demo__AccountPassword", password);
        builder.Services.AddHostedService<DemoStopsFirst>();
        return builder;
    }
}
