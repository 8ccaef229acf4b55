using System.Globalization;
using Aspire.Hosting.Testing;
using LiveAspire.AppHost.Demo;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// The whole system with the demo on (<c>--demo on</c>, which the Testing environment leaves off): a few performers
/// and viewers, quick enough for a test to see each kind of activity within seconds. Its own system, so the demo's
/// registrations and logins never draw on the shared system's per-address budgets, and no other test meets demo
/// viewers in its rooms.
/// </summary>
public sealed class DemoSystemFixture(IMessageSink diagnostics) : AppHostFixture(diagnostics)
{
    public const int Performers = 2;

    /// <summary>Three of them signed in with the performers' accounts (they chat), three guests sharing one guest token per channel.</summary>
    public const int Viewers = 6;

    /// <summary>Performers retitle every 1.5 to 4.5 s (default: about a minute).</summary>
    public static readonly TimeSpan TitleInterval = TimeSpan.FromSeconds(3);

    /// <summary>Viewers watch 2 to 6 s and stay away up to 4 s (default: about a minute each).</summary>
    public static readonly TimeSpan ViewerVisit = TimeSpan.FromSeconds(4);

    /// <summary>Signed-in viewers say something every 0.5 to 1.5 s (default: about every 4 s).</summary>
    public static readonly TimeSpan ChatInterval = TimeSpan.FromSeconds(1);

    protected override Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string[] args)
        => base.CreateBuilderAsync([.. args, "--demo", "on", "--demo-performers", Text(Performers), "--demo-viewers", Text(Viewers)]);

    protected override void ConfigureModel(IDistributedApplicationTestingBuilder builder)
        => builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == DemoBuilderExtensions.ResourceName))
            .WithEnvironment("Demo__TitleInterval", TitleInterval.ToString("c", CultureInfo.InvariantCulture))
            .WithEnvironment("Demo__ViewerVisit", ViewerVisit.ToString("c", CultureInfo.InvariantCulture))
            .WithEnvironment("Demo__ChatInterval", ChatInterval.ToString("c", CultureInfo.InvariantCulture));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoSystemCollection : ICollectionFixture<DemoSystemFixture>
{
    public const string Name = "demo-system";
}
