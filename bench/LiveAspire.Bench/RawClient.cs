using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;

namespace LiveAspire.Bench;

/// <summary>
/// A deliberately light hub client for load: a raw <see cref="ClientWebSocket"/> speaking the JSON hub protocol
/// (docs/protocol.md) that never deserializes an envelope. From <c>Events</c> frames it reads only each
/// envelope's <c>seq</c> and <c>ts</c> (byte scans), so the load client spends its share of the two cores on
/// sockets, not on JSON.
/// </summary>
public sealed class RawClient(Uri hubUrl, string token, Figures figures)
{
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] PingRecord = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private static readonly byte[] SeqKey = "\"seq\":"u8.ToArray();
    private static readonly byte[] TsKey = "\"ts\":"u8.ToArray();
    private static readonly byte[] EventsTarget = "\"target\":\"Events\""u8.ToArray();
    private static readonly byte[] ReconnectTarget = "\"target\":\"Reconnect\""u8.ToArray();
    private static readonly byte[] GapType = "\"room.gap\""u8.ToArray();
    private static readonly byte[] CompletionType = "\"type\":3"u8.ToArray();
    private static readonly byte[] CloseType = "\"type\":7"u8.ToArray();

    private readonly SemaphoreSlim _send = new(1, 1);
    private ClientWebSocket? _ws;
    private TaskCompletionSource<string>? _pending;
    private TaskCompletionSource? _handshake;
    private int _invocationId;

    /// <summary>Last seq seen (0 = none yet). Only the receive loop writes it.</summary>
    public long LastSeq;
    public string? Epoch;
    public long Received;
    public long Duplicates;
    public long Gaps;

    /// <summary><c>Events</c> frames received (each may carry several envelopes: coalescing).</summary>
    public long Frames;

    /// <summary>Ephemeral envelopes (seq 0: viewer counts) received; not counted as deliveries.</summary>
    public long Ephemeral;
    public long GapFrames;
    public long ReconnectRequests;
    public long CloseRecords;
    public bool Closed;

    /// <summary>Forgets the counts (after a warm-up phase); the position (<see cref="LastSeq"/>) stays, so gaps and
    /// duplicates are still checked across the boundary.</summary>
    public void ResetCounts()
    {
        Volatile.Write(ref Received, 0);
        Volatile.Write(ref Duplicates, 0);
        Volatile.Write(ref Gaps, 0);
        Volatile.Write(ref Ephemeral, 0);
        Volatile.Write(ref Frames, 0);
        Volatile.Write(ref GapFrames, 0);
        Volatile.Write(ref ReconnectRequests, 0);
    }

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Authorization", "Bearer " + token);
        ws.Options.KeepAliveInterval = TimeSpan.Zero; // the hub protocol's own Ping records keep it alive
        ws.Options.SetBuffer(4096, 1024);
        _handshake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await ws.ConnectAsync(hubUrl, cancellationToken);
        _ws = ws;
        Closed = false;
        _ = ReceiveLoopAsync(ws, _handshake);
        await SendAsync(Handshake, cancellationToken);
        await _handshake.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Joins (or resumes) one room; returns the raw completion record.</summary>
    public async Task<string> ResumeAsync(string room, long? seq, string? epoch, CancellationToken cancellationToken)
    {
        var position = seq is { } s && epoch is not null ? $"{{\"seq\":{s},\"epoch\":\"{epoch}\"}}" : "null";
        var id = Interlocked.Increment(ref _invocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pending = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending = pending;
        await SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"Resume\",\"arguments\":[{{\"{room}\":{position}}}]}}\u001e"), cancellationToken);
        var result = await pending.Task.WaitAsync(cancellationToken);
        // Live-only join: the position is the head in the answer (unless events already moved it).
        if (LastSeq == 0 && ReadLong(Encoding.UTF8.GetBytes(result), SeqKey, 0, out var head, out _))
        {
            LastSeq = head;
        }
        var e = result.IndexOf("\"epoch\":\"", StringComparison.Ordinal);
        if (e >= 0)
        {
            var start = e + 9;
            Epoch = result[start..result.IndexOf('"', start)];
        }
        return result;
    }

    /// <summary>Calls a hub method and waits for its completion record (one call at a time per client); returns the record.</summary>
    public async Task<string> InvokeAsync(string method, string argumentsJson, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _invocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pending = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending = pending;
        await SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{method}\",\"arguments\":{argumentsJson}}}\u001e"), cancellationToken);
        return await pending.Task.WaitAsync(cancellationToken);
    }

    public async Task PingAsync()
    {
        try
        {
            await SendAsync(PingRecord, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    /// <summary>Drops the socket without a close handshake (a lost network, as the client sees it).</summary>
    public void Abort()
    {
        var ws = _ws;
        _ws = null;
        ws?.Abort();
        ws?.Dispose();
        Closed = true;
    }

    public async Task CloseAsync()
    {
        var ws = _ws;
        if (ws is null)
        {
            return;
        }
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        ws.Dispose();
        Closed = true;
    }

    private async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            await _ws!.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket ws, TaskCompletionSource handshake)
    {
        var buffer = new byte[4096];
        var length = 0;
        var handshakeDone = false;
        try
        {
            while (true)
            {
                if (buffer.Length - length < 1024)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                var result = await ws.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                length += result.Count;
                var start = 0;
                int sep;
                while ((sep = Array.IndexOf(buffer, (byte)0x1e, start, length - start)) >= 0)
                {
                    var record = buffer.AsSpan(start, sep - start);
                    if (!handshakeDone)
                    {
                        handshakeDone = true;
                        if (record.IndexOf("\"error\""u8) >= 0)
                        {
                            handshake.TrySetException(new InvalidOperationException(Encoding.UTF8.GetString(record)));
                        }
                        else
                        {
                            handshake.TrySetResult();
                        }
                    }
                    else
                    {
                        OnRecord(record);
                    }
                    start = sep + 1;
                }
                if (start > 0)
                {
                    Array.Copy(buffer, start, buffer, 0, length - start);
                    length -= start;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        handshake.TrySetException(new WebSocketException("closed before the handshake answer"));
        if (ReferenceEquals(ws, _ws))
        {
            Closed = true;
            Interlocked.Increment(ref figures.ClosedByServerOrError);
        }
    }

    private void OnRecord(ReadOnlySpan<byte> record)
    {
        if (record.IndexOf(EventsTarget) >= 0)
        {
            OnEvents(record);
        }
        else if (record.IndexOf(CompletionType) >= 0)
        {
            _pending?.TrySetResult(Encoding.UTF8.GetString(record));
        }
        else if (record.IndexOf(ReconnectTarget) >= 0)
        {
            ReconnectRequests++;
        }
        else if (record.IndexOf(CloseType) >= 0)
        {
            CloseRecords++;
        }
    }

    private void OnEvents(ReadOnlySpan<byte> record)
    {
        Frames++;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var from = 0;
        while (ReadLong(record, SeqKey, from, out var seq, out var after))
        {
            var isGap = record[from..after].IndexOf(GapType) >= 0;
            if (!ReadLong(record, TsKey, after, out var ts, out var next))
            {
                break;
            }
            from = next;
            if (isGap)
            {
                GapFrames++;
                continue;
            }
            if (seq == 0)
            {
                Ephemeral++; // presence.count and other counters: not numbered, not part of the delivery figures
                continue;
            }
            if (LastSeq != 0 && seq <= LastSeq)
            {
                Duplicates++;
                continue;
            }
            if (LastSeq != 0 && seq > LastSeq + 1)
            {
                Gaps += seq - LastSeq - 1;
            }
            LastSeq = seq;
            Received++;
            figures.Record(now - ts);
        }
    }

    private static bool ReadLong(ReadOnlySpan<byte> text, ReadOnlySpan<byte> key, int from, out long value, out int end)
    {
        value = 0;
        end = from;
        var i = text[from..].IndexOf(key);
        if (i < 0)
        {
            return false;
        }
        var start = from + i + key.Length;
        if (!Utf8Parser.TryParse(text[start..], out value, out var consumed))
        {
            return false;
        }
        end = start + consumed;
        return true;
    }
}
