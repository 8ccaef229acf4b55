using LiveAspire.ServiceDefaults.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace LiveAspire.ServiceDefaults.Telemetry;

/// <summary>
/// Applies the console formatter's redaction to log records bound for OTLP: that path never passes through
/// <see cref="JsonLogFormatter"/>. Runs before the exporter (UseOtlpExporter adds it as the last processor).
/// </summary>
/// <remarks>Scope values cannot be rewritten on a <see cref="LogRecord"/>; do not put secrets in scopes.</remarks>
internal sealed class RedactingLogProcessor : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord record)
    {
        var attributes = record.Attributes;
        if (record.FormattedMessage is { } message)
        {
            record.FormattedMessage = JsonLogFormatter.RedactMessage(message, attributes);
        }
        if (record.Body is { } body)
        {
            record.Body = SecretRedactor.Redact(body);
        }
        if (attributes is not null && NeedsRedaction(attributes))
        {
            var copy = new List<KeyValuePair<string, object?>>(attributes.Count);
            foreach (var (key, value) in attributes)
            {
                copy.Add(new(key, RedactValue(key, value)));
            }
            record.Attributes = copy;
        }
        if (record.Exception is { } exception && exception is not RedactedException
            && !ReferenceEquals(SecretRedactor.Redact(exception.ToString()), exception.ToString()))
        {
            record.Exception = new RedactedException(exception);
        }
    }

    private static bool NeedsRedaction(IReadOnlyList<KeyValuePair<string, object?>> attributes)
    {
        foreach (var (key, value) in attributes)
        {
            if (!ReferenceEquals(RedactValue(key, value), value))
            {
                return true;
            }
        }
        return false;
    }

    // Returns the same object when nothing is secret, so the common case allocates nothing.
    private static object? RedactValue(string key, object? value) => value switch
    {
        null => null,
        _ when key == "{OriginalFormat}" => value,
        _ when SensitiveFieldNames.IsSensitive(key) => SecretRedactor.Mask,
        string text => SecretRedactor.Redact(text),
        _ => value,
    };

    /// <summary>Stands in for an exception whose text held a secret; keeps the original type's name in the text.</summary>
    private sealed class RedactedException(Exception original) : Exception(SecretRedactor.Redact(original.Message))
    {
        public override string ToString() => SecretRedactor.Redact(original.ToString());
    }
}
