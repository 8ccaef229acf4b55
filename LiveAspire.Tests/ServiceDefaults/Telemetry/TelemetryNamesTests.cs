using System.Text.RegularExpressions;
using LiveAspire.ServiceDefaults.Telemetry;

namespace LiveAspire.Tests.ServiceDefaults.Telemetry;

/// <summary>
/// Our own spans and instruments, read from in-process exporters while Realtime, a Worker and Api's start-up run
/// (TelemetryHosts): each name docs/telemetry.md lists is emitted, and each one emitted is listed. Dashboards and
/// alerts are built on these names, so losing or renaming one must fail here rather than go dark in production.
/// </summary>
[Collection(TelemetryNamesCollection.Name)]
public sealed partial class TelemetryNamesTests(TelemetryHosts hosts)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EverySpanOfOursIsEmittedAndDocumented()
    {
        var documented = Rows(Section("## Sources and spans", "## Meters and instruments"));
        HashSet<(string, string)> Emitted() => [.. hosts.Spans.Snapshot()
            .Where(a => a.Source.Name.StartsWith(LiveAspireTelemetry.NamePrefix, StringComparison.Ordinal))
            .Select(a => (a.Source.Name, a.OperationName))];

        await Eventually.HoldsWithinAsync(() => documented.IsSubsetOf(Emitted()), Deadline);
        Assert.Empty(documented.Except(Emitted()));
        Assert.Empty(Emitted().Except(documented));
    }

    [Fact]
    public async Task EveryInstrumentOfOursIsEmittedAndDocumented()
    {
        var documented = Rows(Section("## Meters and instruments", "Attribute names"));
        HashSet<(string, string)> Emitted()
        {
            hosts.FlushMetrics();
            return [.. hosts.Metrics.Snapshot()
                .Where(m => m.MeterName.StartsWith(LiveAspireTelemetry.NamePrefix, StringComparison.Ordinal))
                .Select(m => (m.MeterName, m.Name))];
        }

        await Eventually.HoldsWithinAsync(() => documented.IsSubsetOf(Emitted()), Deadline);
        Assert.Empty(documented.Except(Emitted()));
        Assert.Empty(Emitted().Except(documented));
    }

    private static string Section(string from, string to)
    {
        var doc = File.ReadAllText(Path.Combine(AppHostProcess.RepositoryRoot, "docs", "telemetry.md"));
        return doc.Split(from)[1].Split(to)[0];
    }

    private static HashSet<(string, string)> Rows(string section)
    {
        var rows = Row().Matches(section).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToHashSet();
        Assert.NotEmpty(rows);
        return rows;
    }

    // | `LiveAspire.Realtime` | `room.dispatch` | ...
    [GeneratedRegex(@"^\| `(LiveAspire\.[A-Za-z.]+)` \| `([a-z_.]+)` \|", RegexOptions.Multiline)]
    private static partial Regex Row();
}

/// <summary>Its hosts start a system (Api's stores): never beside another collection that does.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryNamesCollection : ICollectionFixture<TelemetryHosts>
{
    public const string Name = "telemetry-names";
}
