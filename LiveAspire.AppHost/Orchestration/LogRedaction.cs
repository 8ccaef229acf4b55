using LiveAspire.ServiceDefaults.Logging;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>
/// Child output is redacted before it is kept in memory, in log files or on the dashboard: the services already
/// redact their own JSON logs, but Redis, PostgreSQL and a crashing process's raw stderr do not.
/// </summary>
internal static class LogRedaction
{
    public static string Redact(string line) => SecretRedactor.Redact(line);
}
