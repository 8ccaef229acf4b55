using LiveAspire.ServiceDefaults.Logging;

namespace Microsoft.Extensions.Hosting;

public static class LoggingExtensions
{
    /// <summary>
    /// Replaces the console output with <see cref="JsonLogFormatter"/>: one redacted JSON object per line, which
    /// the AppHost's log tail and any log shipper can parse without a pattern per service.
    /// </summary>
    public static TBuilder AddJsonConsoleLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Defaults under every other source (so Logging__LogLevel__... and appsettings still win): ASP.NET Core's own
        // per-request and per-connection lines at Warning, as in the ASP.NET Core templates. At Information a
        // realtime replica writes two lines per connection, which a reconnect storm of 10,000 clients turns into
        // 20,000 JSON lines of CPU and disk for nothing an operator reads. Npgsql likewise: through Aspire.Npgsql it
        // logs every command it executes at Information (a line per hub connection's session check); traces already
        // show each command, with its timing.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Npgsql"] = "Warning",
            },
        });
        builder.Logging.AddConsole(options => options.FormatterName = JsonLogFormatter.FormatterName);
        builder.Logging.AddConsoleFormatter<JsonLogFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        return builder;
    }
}
