using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Realtime.Edge;

/// <summary>
/// SignalR's JSON hub protocol, except that a record it would misread closes the connection, a call it cannot bind
/// gets a documented code, and pings are metered:
/// <list type="bullet">
/// <item>a complete frame of an unknown message type: the stock parser skips such a frame but then reports "no
/// message", and the server waits for more bytes before it looks at the frames behind it, so one unknown frame
/// would silently stall the connection;</item>
/// <item>a record holding more than one JSON value (<c>{...}{...}</c>, or bytes after the object): the stock parser
/// reads the first value and drops the rest, so a record whose separator went missing would silently swallow the
/// invocation behind it, which then never gets its completion;</item>
/// <item>an invocation whose arguments cannot be bound (wrong count, wrong JSON types, an unknown method) fails with
/// <c>invalid_argument</c>: SignalR answers a binding failure before any hub method or filter runs, with its generic
/// "Failed to invoke 'X' due to an error on the server." and no code, unless the failure is a
/// <see cref="HubException"/>, whose message it appends;</item>
/// <item>protocol Ping records: more than <see cref="EdgeOptions.MaxPingsPerMinute"/> in a minute close the
/// connection with <c>ping_flood</c> in SignalR's Close message. A Ping is answered by nothing and never reaches a
/// hub method, so the invocation rate limit (<see cref="InvocationLimiter"/>) never sees it.</item>
/// </list>
/// Records are at most <c>Edge:MaxMessageBytes</c> and a client's invocations are rate limited, so reading each
/// one twice costs little (docs/realtime.md, "Hostile frames").
/// </summary>
public sealed class StrictJsonHubProtocol(IOptions<JsonHubProtocolOptions> options, IOptions<EdgeOptions> edge, TimeProvider time) : IHubProtocol
{
    private const byte RecordSeparator = 0x1e;

    private readonly JsonHubProtocol _inner = new(options);

    // SignalR parses each connection's frames with a binder of that connection's own, created when its messages start
    // and dropped when it ends, and one frame at a time: the meter hangs off it and needs no lock. Created on the
    // connection's first Ping, so a connection that never pings costs nothing.
    private readonly ConditionalWeakTable<IInvocationBinder, PingWindow> _pings = new();

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (input.PositionOf(RecordSeparator) is { } end)
        {
            EnsureOneValue(input.Slice(0, end));
        }
        var before = input.Length;
        if (_inner.TryParseMessage(ref input, binder, out message))
        {
            if (message is PingMessage && !_pings.GetValue(binder, _ => new PingWindow(time.GetTimestamp())).Allow(time, edge.Value.MaxPingsPerMinute))
            {
                // SignalR closes the connection on an exception from the parser, with a Close message whose error names a
                // HubException's text (docs/errors.md): the client learns why.
                throw new HubException($"{HubErrorCodes.PingFlood}: more than {edge.Value.MaxPingsPerMinute} pings a minute");
            }
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

    /// <summary>Throws unless <paramref name="record"/> is a single JSON value (surrounding white space aside).</summary>
    private static void EnsureOneValue(ReadOnlySequence<byte> record)
    {
        var reader = new Utf8JsonReader(record, isFinalBlock: true, state: default);
        try
        {
            // An empty record is left to the inner parser, which closes with its own message. Anything after the
            // first value makes Read throw (multiple values are not allowed) or, should it not, return true.
            if (reader.Read() && reader.TrySkip() && reader.Read())
            {
                throw new InvalidDataException("A record must hold exactly one JSON value.");
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("A record must hold exactly one JSON value.", e);
        }
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    /// <summary>One connection's pings in the current one-minute window (fixed windows: cheap, at most twice the
    /// budget across a window's edge, which still bounds a flood).</summary>
    private sealed class PingWindow(long start)
    {
        private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
        private long _start = start;
        private int _count;

        public bool Allow(TimeProvider time, int max)
        {
            var now = time.GetTimestamp();
            if (time.GetElapsedTime(_start, now) >= Window)
            {
                _start = now;
                _count = 0;
            }
            return ++_count <= max;
        }
    }
}
