using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Client;

/// <summary>
/// SignalR's JSON hub protocol, watched for what <c>HubConnection</c> does not tell: whether the server's Close
/// message allowed a reconnect (it reports a Close without error the same way as a stop by the client), which calls
/// reached the receive loop (<see cref="HubLink.Ended"/> waits for their handlers), and how many pings were sent. It
/// also refuses a record larger than <see cref="LiveHubClientOptions.MaxRecordBytes"/>, which SignalR's client would
/// buffer without limit while waiting for its separator; the connection then fails and the client reconnects.
/// One instance per connection: <c>TryParseMessage</c> runs on that connection's receive loop only.
/// </summary>
internal sealed class WatchedHubProtocol(HubLink link, int maxRecordBytes, LiveHubCounters counters) : IHubProtocol
{
    private readonly JsonHubProtocol _inner = new();

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var before = input.Length;
        if (!_inner.TryParseMessage(ref input, binder, out message))
        {
            // What is left is one record whose separator has not arrived yet.
            CheckSize(input.Length);
            return false;
        }
        CheckSize(before - input.Length);
        link.Received(message);
        return true;
    }

    private void CheckSize(long length)
    {
        if (length > maxRecordBytes)
        {
            throw new InvalidDataException($"A hub protocol record is larger than {maxRecordBytes} bytes.");
        }
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        CountPing(message);
        _inner.WriteMessage(message, output);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        CountPing(message);
        return _inner.GetMessageBytes(message);
    }

    private void CountPing(HubMessage message)
    {
        if (message is PingMessage)
        {
            counters.Increment(ref counters.PingsSentField);
        }
    }

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);
}
