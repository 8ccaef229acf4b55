using LiveAspire.ServiceDefaults.Logging;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

public static class LoggingExtensions
{
    /// <summary>
    /// Replaces the console output with <see cref="JsonLogFormatter"/>: one redacted JSON object per line, which
    /// the AppHost's log tail and any log shipper can parse without a pattern per service.
    /// </summary>
    public static TBuilder AddJsonConsoleLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddConsole(options => options.FormatterName = JsonLogFormatter.FormatterName);
        builder.Logging.AddConsoleFormatter<JsonLogFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        return builder;
    }
}
