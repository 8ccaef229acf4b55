using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace LiveAspire.Tests.ServiceDefaults.Telemetry;

/// <remarks>
/// Activity listeners are process-wide: another test's TracerProvider running at the same time also sees this app's
/// spans, and its sampling decisions can hide a span from this provider. In production there is one provider per
/// process; here the test runs alone.
/// </remarks>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    [Fact]
    public async Task RequestsAreTracedButHealthProbesAreNot()
    {
        var exported = new SyncCollection<Activity>();
        await using var app = await TestApp.StartAsync([],
            b =>
            {
                b.AddServiceDefaults();
                b.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported));
            },
            a =>
            {
                a.MapDefaultEndpoints();
                a.MapGet("/work", () => "done");
            });

        // One connection, one request at a time: each server span has ended before the next request is read.
        (await app.Client.GetAsync("/health").WaitAsync(TestApp.Deadline)).Dispose();
        (await app.Client.GetAsync("/alive").WaitAsync(TestApp.Deadline)).Dispose();
        (await app.Client.GetAsync("/work").WaitAsync(TestApp.Deadline)).Dispose();

        await Eventually.UntilAsync(() => ServerPaths(exported).Contains("/work"), "the /work span is exported", TestApp.Deadline);
        var paths = ServerPaths(exported);
        Assert.DoesNotContain("/health", paths);
        Assert.DoesNotContain("/alive", paths);
    }

    private static List<string> ServerPaths(SyncCollection<Activity> exported)
        => [.. exported.Snapshot().Where(a => a.Kind == ActivityKind.Server).Select(a => a.GetTagItem("url.path") as string ?? "")];
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry (process-wide listeners)";
}
