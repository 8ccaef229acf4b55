using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Realtime.Edge;

/// <summary>
/// SignalR's JSON hub protocol, except that
/// <list type="bullet">
/// <item>a complete frame of an unknown message type closes the connection. The stock parser skips such a frame but
/// then reports "no message", and the server waits for more bytes before it looks at the frames behind it: one unknown
/// frame would silently stall the connection;</item>
/// <item>protocol Ping records are metered: more than <see cref="EdgeOptions.MaxPingsPerMinute"/> in a minute close the
/// connection with <c>ping_flood</c> in SignalR's Close message. A Ping is answered by nothing and never reaches a
/// hub method, so the invocation rate limit (<see cref="InvocationLimiter"/>) never sees it.</item>
/// </list>
/// </summary>
public sealed class StrictJsonHubProtocol(IOptions<JsonHubProtocolOptions> options, IOptions<EdgeOptions> edge, TimeProvider time) : IHubProtocol
{
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
        var before = input.Length;
        if (_inner.TryParseMessage(ref input, binder, out message))
        {
            if (message is PingMessage && !_pings.GetValue(binder, _ => new PingWindow(time.GetTimestamp())).Allow(time, edge.Value.MaxPingsPerMinute))
            {
                // SignalR closes the connection on an exception from the parser, with a Close message whose error names a
                // HubException's text (docs/errors.md): the client learns why.
                throw new HubException($"{HubErrorCodes.PingFlood}: more than {edge.Value.MaxPingsPerMinute} pings a minute");
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
