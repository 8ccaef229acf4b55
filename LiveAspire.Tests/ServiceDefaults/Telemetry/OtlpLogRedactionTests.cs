using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace LiveAspire.Tests.ServiceDefaults.Telemetry;

public sealed class OtlpLogRedactionTests
{
    private const string CanaryJwt = "eyJhbGciOiJFUzI1NiJ9.eyJjYW5hcnkiOjJ9.T1RMUC1zaWc";

    [Fact]
    public async Task LogsBoundForOtlpAreRedactedLikeConsoleLogs()
    {
        var seen = new ConcurrentQueue<string>();
        var builder = Host.CreateApplicationBuilder();
        // Nothing listens there: the exporter fails quietly; this test looks only at what reaches it.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(new Capture(seen)));
        using var host = builder.Build();

        host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tests").LogWarning(
            new InvalidOperationException($"boom {CanaryJwt}"), "Key {StreamKey} and url {Url}", "canary-key-1", $"/x?access_token={CanaryJwt}");
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var record = Assert.Single(seen);
        Assert.DoesNotContain(CanaryJwt, record);
        Assert.DoesNotContain("canary-key-1", record);
        Assert.Contains("[redacted]", record);
    }

    private sealed class Capture(ConcurrentQueue<string> seen) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord record)
            => seen.Enqueue(string.Join("|", record.FormattedMessage, record.Exception,
                string.Join(",", record.Attributes?.Select(a => $"{a.Key}={a.Value}") ?? [])));
    }
}
