using System.Reflection;
using Microsoft.Extensions.Logging;

namespace LiveAspire.Tests.ServiceDefaults.Logging;

/// <summary>An event id names one log event in a service: operators filter and alert on them.</summary>
public sealed class LogEventIdTests
{
    public static TheoryData<string> Assemblies() =>
        ["LiveAspire.Realtime", "LiveAspire.Api", "LiveAspire.Worker", "LiveAspire.Web", "LiveAspire.Demo", "LiveAspire.Access", "LiveAspire.Data", "LiveAspire.Hosting", "LiveAspire.ServiceDefaults"];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void NoTwoLogEventsOfAnAssemblyShareAnEventId(string name)
    {
        var assembly = Assembly.Load(name);
        var events = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.Name}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is { EventId: > 0 })
            .ToList();

        Assert.NotEmpty(events);
        var shared = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        Assert.True(shared.Count == 0, $"event ids used more than once: {string.Join("; ", shared)}");
    }
}
