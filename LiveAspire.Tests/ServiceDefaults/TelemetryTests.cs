using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit;

namespace LiveAspire.Tests.ServiceDefaults;

/// <remarks>
/// Activity listeners are process-wide: another test's TracerProvider running at the same time also sees this app's
/// spans, and its health filter can mark a span "not all data requested" before this provider's processors run,
/// which hides the span from them. In production there is one provider per process; here the test runs alone.
/// </remarks>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    [Fact]
    public async Task RequestsAreTracedButHealthProbesAreNot()
    {
        var seen = new ConcurrentQueue<(string Path, bool Recorded)>();
        await using var app = await TestApp.StartAsync([],
            b =>
            {
                b.AddServiceDefaults();
                // Added after the defaults, so it sees each server span after the health filter has run.
                b.Services.ConfigureOpenTelemetryTracerProvider((sp, tracing) =>
                    tracing.AddProcessor(new PathRecorder(sp.GetRequiredService<IHttpContextAccessor>(), seen)));
            },
            a =>
            {
                a.MapDefaultEndpoints();
                a.MapGet("/work", () => "done");
            });

        (await app.Client.GetAsync("/health").WaitAsync(TestApp.Deadline)).Dispose();
        (await app.Client.GetAsync("/alive").WaitAsync(TestApp.Deadline)).Dispose();
        (await app.Client.GetAsync("/work").WaitAsync(TestApp.Deadline)).Dispose();

        Assert.Contains(("/work", true), seen);
        Assert.Contains(("/health", false), seen);
        Assert.Contains(("/alive", false), seen);
    }

    private sealed class PathRecorder(IHttpContextAccessor accessor, ConcurrentQueue<(string, bool)> seen) : BaseProcessor<Activity>
    {
        public override void OnStart(Activity activity)
        {
            if (activity.Source.Name == "Microsoft.AspNetCore" && accessor.HttpContext is { } context)
            {
                seen.Enqueue((context.Request.Path.Value ?? "", activity.Recorded));
            }
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry (process-wide listeners)";
}
