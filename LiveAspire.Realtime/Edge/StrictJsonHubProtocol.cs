using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Realtime.Edge;

/// <summary>
/// SignalR's JSON hub protocol, except that a complete frame of an unknown message type closes the connection.
/// The stock parser skips such a frame but then reports "no message", and the server waits for more bytes before
/// it looks at the frames behind it: one unknown frame would silently stall the connection.
/// </summary>
public sealed class StrictJsonHubProtocol(IOptions<JsonHubProtocolOptions> options) : IHubProtocol
{
    private readonly JsonHubProtocol _inner = new(options);

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input.Length;
        if (_inner.TryParseMessage(ref input, binder, out message))
        {
            return true;
        }
        if (input.Length != before)
        {
            throw new InvalidDataException("Unknown hub message type.");
        }
        return false;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);
}
