using LiveAspire.Contracts.Demo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace LiveAspire.AppHost.Demo;

/// <summary>
/// Whether a local run includes the demo, and its size: <c>AppHost:Demo</c> (<c>--demo on|off</c>; default on in
/// Development, which is what <c>./run.sh</c> runs, and off everywhere else, Testing included), <c>AppHost:DemoPerformers</c>
/// (<c>--demo-performers</c>) and <c>AppHost:DemoViewers</c> (<c>--demo-viewers</c>), bounded by
/// <see cref="DemoLimits"/>. Checked on every local run, the demo on or off, so a mistyped value is never ignored.
/// </summary>
public sealed record DemoSettings(bool On, int Performers, int Viewers)
{
    public const string ModeKey = LocalSettings.SectionName + ":Demo";
    public const string PerformersKey = LocalSettings.SectionName + ":DemoPerformers";
    public const string ViewersKey = LocalSettings.SectionName + ":DemoViewers";

    /// <summary>Reads the settings; a bad value throws <see cref="StartupException"/> naming the switch, the key and what is wanted.</summary>
    public static DemoSettings Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var mode = configuration[ModeKey];
        var on = mode?.Trim().ToLowerInvariant() switch
        {
            null or "" => environment.IsDevelopment(),
            "on" => true,
            "off" => false,
            _ => throw new StartupException($"--demo ({ModeKey}) must be on or off, not '{mode}'"),
        };
        return new DemoSettings(on,
            Size(configuration, PerformersKey, "--demo-performers", DemoLimits.Performers),
            Size(configuration, ViewersKey, "--demo-viewers", DemoLimits.Viewers));
    }

    private static int Size(IConfiguration configuration, string key, string switchName, DemoSize size)
        => size.TryRead(configuration[key], out var value, out var problem)
            ? value
            : throw new StartupException($"{switchName} ({key}) {problem}");
}
