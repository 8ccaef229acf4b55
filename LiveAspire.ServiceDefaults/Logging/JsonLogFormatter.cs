using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace LiveAspire.ServiceDefaults.Logging;

/// <summary>
/// Writes one JSON object per line (timestamp, level, category, eventId, message, exception, fields, scopes) with
/// every secret masked. Redaction lives here, at the last step before output, so no provider-specific path
/// (a scope, an exception, a field some library logs) can bypass it.
/// </summary>
public sealed class JsonLogFormatter() : ConsoleFormatter(FormatterName)
{
    /// <summary>Name to put in <c>Logging:Console:FormatterName</c> (AddServiceDefaults does).</summary>
    public const string FormatterName = "liveaspire-json";

    private const string OriginalFormatKey = "{OriginalFormat}";

    // Relaxed escaping keeps non-ASCII text readable; the output is a log line, never embedded in HTML.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (logEntry.Exception is null && string.IsNullOrEmpty(message))
        {
            return;
        }
        var fields = logEntry.State as IReadOnlyList<KeyValuePair<string, object?>>;

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            json.WriteStartObject();
            json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("O"));
            json.WriteString("level", logEntry.LogLevel.ToString());
            json.WriteString("category", logEntry.Category);
            json.WriteNumber("eventId", logEntry.EventId.Id);
            if (logEntry.EventId.Name is { } eventName)
            {
                json.WriteString("eventName", eventName);
            }
            json.WriteString("message", RedactMessage(message, fields));
            if (logEntry.Exception is { } exception)
            {
                json.WriteString("exception", SecretRedactor.Redact(exception.ToString()));
            }
            if (fields is not null)
            {
                json.WritePropertyName("fields");
                WriteFields(json, fields);
            }
            WriteScopes(json, scopeProvider);
            json.WriteEndObject();
        }
        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        textWriter.Write('\n');
    }

    // The template renders a field's raw value into the message, so a value masked by its field name must also be
    // taken out of the rendered message. Only done when such a field exists, which is rare.
    internal static string RedactMessage(string message, IReadOnlyList<KeyValuePair<string, object?>>? fields)
    {
        if (fields is not null)
        {
            foreach (var (key, value) in fields)
            {
                if (key != OriginalFormatKey && SensitiveFieldNames.IsSensitive(key)
                    && value?.ToString() is { Length: > 0 } raw)
                {
                    message = message.Replace(raw, SecretRedactor.Mask, StringComparison.Ordinal);
                }
            }
        }
        return SecretRedactor.Redact(message);
    }

    private static void WriteFields(Utf8JsonWriter json, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        json.WriteStartObject();
        foreach (var (key, value) in fields)
        {
            if (key == OriginalFormatKey)
            {
                continue;
            }
            json.WritePropertyName(key);
            WriteValue(json, key, value);
        }
        json.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        if (SensitiveFieldNames.IsSensitive(key))
        {
            json.WriteStringValue(SecretRedactor.Mask);
            return;
        }
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case decimal m: json.WriteNumberValue(m); break;
            default: json.WriteStringValue(SecretRedactor.Redact(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "")); break;
        }
    }

    private static void WriteScopes(Utf8JsonWriter json, IExternalScopeProvider? scopeProvider)
    {
        if (scopeProvider is null)
        {
            return;
        }
        var started = false;
        scopeProvider.ForEachScope((scope, writer) =>
        {
            if (!started)
            {
                writer.WriteStartArray("scopes");
                started = true;
            }
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                WriteFields(writer, pairs);
            }
            else
            {
                writer.WriteStringValue(SecretRedactor.Redact(scope?.ToString() ?? ""));
            }
        }, json);
        if (started)
        {
            json.WriteEndArray();
        }
    }
}
