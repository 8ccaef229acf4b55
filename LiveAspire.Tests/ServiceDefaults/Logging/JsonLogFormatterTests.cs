using LiveAspire.ServiceDefaults.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveAspire.Tests.ServiceDefaults.Logging;

public sealed class JsonLogFormatterTests
{
    private const string CanaryJwt = "eyJhbGciOiJFUzI1NiJ9.eyJjYW5hcnkiOjF9.Q0FOQVJZLXNpZw";
    private const string CanaryKey = "canary-stream-key-9f8e";
    private const string CanaryPassword = "canary-pw-7d6c";

    [Fact]
    public void EveryLineIsJsonAndNoCanarySecretSurvives()
    {
        var (logger, output) = CreateLogger();
        using (logger.BeginScope("request with Bearer {0}", CanaryJwt))
        using (logger.BeginScope(new Dictionary<string, object?> { ["SessionToken"] = "canary-scope", ["RoomId"] = "stream:1" }))
        {
            logger.LogInformation(1, "Overlay key {StreamKey} used by {UserId}", CanaryKey, "u1");
            logger.LogWarning(2, "Connect failed: {ConnectionString}", $"Host=db;Password={CanaryPassword};Database=x");
            logger.LogError(3, new InvalidOperationException($"bad token {CanaryJwt}"), "Request to {Url} failed", $"/hubs/live?access_token={CanaryJwt}");
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            foreach (var canary in new[] { CanaryJwt, CanaryKey, CanaryPassword, "canary-scope" })
            {
                Assert.DoesNotContain(canary, line);
            }
        }
    }

    [Fact]
    public void LineCarriesLevelCategoryEventMessageFieldsAndScopes()
    {
        var (logger, output) = CreateLogger();
        using (logger.BeginScope(new Dictionary<string, object?> { ["RoomId"] = "stream:1" }))
        {
            logger.LogInformation(new EventId(7, "Joined"), "User {UserId} joined with key {StreamKey}", "u1", CanaryKey);
        }

        using var doc = JsonDocument.Parse(output.ToString());
        var root = doc.RootElement;
        Assert.Equal("Information", root.GetProperty("level").GetString());
        Assert.Equal("Tests.Category", root.GetProperty("category").GetString());
        Assert.Equal(7, root.GetProperty("eventId").GetInt32());
        Assert.Equal("User u1 joined with key [redacted]", root.GetProperty("message").GetString());
        Assert.Equal("u1", root.GetProperty("fields").GetProperty("UserId").GetString());
        Assert.Equal("[redacted]", root.GetProperty("fields").GetProperty("StreamKey").GetString());
        Assert.Equal("stream:1", root.GetProperty("scopes")[0].GetProperty("RoomId").GetString());
        var timestamp = DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.Zero, timestamp.Offset);
    }

    private static (ILogger Logger, StringWriter Output) CreateLogger()
    {
        var output = new StringWriter();
        return (new FormatterLogger(new JsonLogFormatter(), output, new LoggerExternalScopeProvider()), output);
    }

    /// <summary>Feeds log calls straight to the formatter, as the console logger does, minus its background queue.</summary>
    private sealed class FormatterLogger(JsonLogFormatter formatter, TextWriter output, IExternalScopeProvider scopes) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format)
            => formatter.Write(new LogEntry<TState>(logLevel, "Tests.Category", eventId, state, exception, format), scopes, output);
    }
}
