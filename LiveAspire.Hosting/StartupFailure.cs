namespace LiveAspire.Hosting;

/// <summary>Reports a <see cref="StartupException"/> as a single log line and gives the process exit code.</summary>
public static partial class StartupFailure
{
    /// <summary>Exit code of a process that refused to start; the AppHost shows it next to the log line.</summary>
    public const int ExitCode = 3;

    /// <summary>
    /// Logs <paramref name="exception"/>'s message on one line. A bootstrap logger is used because the failure may
    /// come before the host (and its logging) exists.
    /// </summary>
    public static int Report(StartupException exception, string serviceName)
    {
        using (var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true)))
        {
            // Disposing the factory flushes the console logger's queue before the process exits.
            StartupFailed(loggerFactory.CreateLogger(serviceName), exception.Message);
        }
        return ExitCode;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "Cannot start: {Reason}")]
    private static partial void StartupFailed(ILogger logger, string reason);
}
