using System.Buffers;
using System.Text.Json;

namespace LiveAspire.Client;

/// <summary>
/// The parts of the SignalR JSON hub protocol (version 1) this client speaks: every record is a UTF-8 JSON object
/// followed by the record separator 0x1E; a WebSocket frame may hold several records and a record may span frames.
/// Message types: 1 Invocation, 2 StreamItem (ignored), 3 Completion, 6 Ping, 7 Close. docs/protocol.md has the
/// shapes.
/// </summary>
internal static class HubProtocol
{
    public const byte RecordSeparator = 0x1E;

    public const int InvocationType = 1;
    public const int CompletionType = 3;
    public const int PingType = 6;
    public const int CloseType = 7;

    /// <summary>Camel-case names as the server's JSON protocol uses; dictionary keys (room names) stay as they are.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ReadOnlyMemory<byte> HandshakeRequest { get; } = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();

    public static ReadOnlyMemory<byte> Ping { get; } = "{\"type\":6}\u001e"u8.ToArray();

    /// <summary>An Invocation record; without <paramref name="invocationId"/> the server sends no Completion.</summary>
    public static byte[] Invocation(string? invocationId, string target, IReadOnlyList<object?> arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", InvocationType);
            if (invocationId is not null)
            {
                writer.WriteString("invocationId", invocationId);
            }
            writer.WriteString("target", target);
            writer.WriteStartArray("arguments");
            foreach (var argument in arguments)
            {
                JsonSerializer.Serialize(writer, argument, argument?.GetType() ?? typeof(object), Json);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        buffer.Write([RecordSeparator]);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A Completion carrying an error: the answer to a server-to-client invocation that expects a result,
    /// which this client never provides (the live hub's client methods are all fire-and-forget).</summary>
    public static byte[] CompletionError(string invocationId, string error)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", CompletionType);
            writer.WriteString("invocationId", invocationId);
            writer.WriteString("error", error);
            writer.WriteEndObject();
        }
        buffer.Write([RecordSeparator]);
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>
/// Accumulates received bytes and hands out complete records (without the separator). Not thread-safe: owned by one
/// receive loop.
/// </summary>
internal sealed class RecordBuffer(int maxRecordBytes)
{
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>Free space to receive into; grows (up to the record limit) when a record is larger than the buffer.</summary>
    public Memory<byte> GetReceiveMemory()
    {
        if (_start > 0 && _end == _buffer.Length)
        {
            // Move the unfinished record to the front before growing.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= maxRecordBytes)
            {
                throw new InvalidDataException($"A hub protocol record is larger than {maxRecordBytes} bytes.");
            }
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, maxRecordBytes));
        }
        return _buffer.AsMemory(_end);
    }

    public void Advance(int count) => _end += count;

    /// <summary>The next complete record, or false when only part of one has arrived.</summary>
    public bool TryReadRecord(out ReadOnlyMemory<byte> record)
    {
        var separator = Array.IndexOf(_buffer, HubProtocol.RecordSeparator, _start, _end - _start);
        if (separator < 0)
        {
            if (_start == _end)
            {
                _start = _end = 0;
            }
            record = default;
            return false;
        }
        record = _buffer.AsMemory(_start, separator - _start);
        _start = separator + 1;
        return true;
    }
}
