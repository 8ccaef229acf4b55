namespace LiveAspire.Hosting;

/// <summary>
/// A reason the process cannot start that an operator fixes without reading code (a missing or malformed
/// setting, an edited migration). Program.cs reports it as one log line instead of a stack trace.
/// </summary>
public class StartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A required setting is missing or malformed; <see cref="Key"/> names it in configuration syntax.</summary>
public sealed class ConfigurationException(string key, string problem, Exception? inner = null)
    : StartupException($"Configuration '{key}' (environment variable {key.Replace(":", "__")}) {problem}.", inner)
{
    /// <summary>The configuration key, e.g. <c>ConnectionStrings:livedb</c>.</summary>
    public string Key { get; } = key;
}
