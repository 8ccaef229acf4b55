using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Realtime.Edge;

/// <summary>
/// SignalR's JSON hub protocol, except that a complete frame of an unknown message type closes the connection.
/// The stock parser skips such a frame but then reports "no message", and the server waits for more bytes before
/// it looks at the frames behind it: one unknown frame would silently stall the connection. And an invocation whose
/// arguments cannot be bound (wrong count, wrong JSON types, an unknown method) fails with a documented code: SignalR
/// answers a binding failure before any hub method or filter runs, with its generic "Failed to invoke 'X' due to an
/// error on the server." and no code, unless the failure is a <see cref="HubException"/>, whose message it appends.
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
            if (message is InvocationBindingFailureMessage failure)
            {
                // The dispatcher's own "Method does not exist." is a HubException; anything else is the arguments.
                var reason = failure.BindingFailure.SourceException is HubException
                    ? "no hub method has this name"
                    : "the arguments do not match the method's parameters (their number or JSON types)";
                message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target,
                    ExceptionDispatchInfo.Capture(new HubException($"{HubErrorCodes.InvalidArgument}: {reason}")));
            }
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
