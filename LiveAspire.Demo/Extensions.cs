using LiveAspire.Demo.Api;

namespace LiveAspire.Demo;

public static class Extensions
{
    /// <summary>
    /// Registers the demo: its settings (checked now: a bad one throws <see cref="ConfigurationException"/> naming the
    /// key), Api as <c>http://api</c> through service discovery, and the runner with Realtime's address
    /// (<c>services:realtime:http:0</c>, where the hub clients connect).
    /// </summary>
    public static TBuilder AddDemo<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var options = DemoOptions.Read(builder.Configuration);
        // Both addresses are checked at start, so a demo started without them says so in one line.
        builder.Configuration.GetRequiredServiceUri("api");
        var hub = builder.Configuration.GetRequiredServiceUri("realtime");
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<DemoStage>();
        builder.Services.AddSingleton<DemoMetrics>();
        builder.Services.AddHttpClient<DemoApi>(http => http.BaseAddress = new Uri("http://api"));
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<DemoRunner>(services, hub));
        return builder;
    }
}
