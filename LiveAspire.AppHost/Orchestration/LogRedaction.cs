namespace LiveAspire.AppHost.Orchestration;

/// <summary>Child output is redacted before it is kept in memory, in log files or on the dashboard.</summary>
internal static class LogRedaction
{
    public static string Redact(string line) => line; // replaced by the shared SecretRedactor at merge
}
