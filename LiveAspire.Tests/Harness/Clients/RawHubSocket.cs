using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>
/// A hub client that speaks the JSON hub protocol by hand (<see cref="HubFraming"/>) over a WebSocket, to send what
/// no well-behaved client sends (broken frames, floods) and to stop reading at will. Messages received are collected
/// by a reader that can be left unstarted.
/// </summary>
public sealed class RawHubSocket : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly TcpClient? _tcp;
    private readonly ConcurrentQueue<JsonElement> _messages = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reader;

    private RawHubSocket(WebSocket socket, TcpClient? tcp)
    {
        _socket = socket;
        _tcp = tcp;
    }

    public IReadOnlyList<JsonElement> Messages => [.. _messages];

    /// <summary>Completes when the server closed the socket (a close frame, or the connection ended).</summary>
    public Task Closed => _closed.Task;

    /// <summary>The status of the server's close frame; null while open or when the connection ended without one.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public static async Task<RawHubSocket> ConnectAsync(Uri baseUrl, string token, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        await socket.ConnectAsync(new UriBuilder(baseUrl) { Scheme = "ws", Path = "/hubs/live" }.Uri, cancellationToken);
        return new RawHubSocket(socket, null);
    }

    /// <summary>
    /// The WebSocket upgrade done by hand over a socket with a tiny receive buffer, so that a client that stops
    /// reading fills the server's buffers quickly (ClientWebSocket cannot set the socket's buffer size).
    /// </summary>
    public static async Task<RawHubSocket> ConnectSmallBufferAsync(Uri baseUrl, string token, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { ReceiveBufferSize = 4096 };
        await tcp.ConnectAsync(baseUrl.Host, baseUrl.Port, cancellationToken);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET /hubs/live HTTP/1.1\r\nHost: {baseUrl.Host}:{baseUrl.Port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("the server closed the connection during the upgrade");
            }
            head.Append((char)one[0]);
        }
        if (!head.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new IOException($"upgrade refused: {head.ToString().Split("\r\n")[0]}");
        }
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = Timeout.InfiniteTimeSpan });
        return new RawHubSocket(socket, tcp);
    }

    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Sends <paramref name="bytes"/> as one WebSocket message of <paramref name="type"/>, valid UTF-8 or not.</summary>
    public Task SendBytesAsync(byte[] bytes, WebSocketMessageType type, CancellationToken cancellationToken) =>
        _socket.SendAsync(bytes, type, true, cancellationToken);

    public Task SendAsync(object message, CancellationToken cancellationToken) =>
        SendTextAsync(HubFraming.Serialize(message), cancellationToken);

    /// <summary>Sends the handshake and starts collecting messages (unless <paramref name="read"/> is false).</summary>
    public async Task HandshakeAsync(CancellationToken cancellationToken, bool read = true)
    {
        await SendTextAsync(HubFraming.Handshake, cancellationToken);
        if (read)
        {
            StartReading();
        }
    }

    public void StartReading() => _reader ??= Task.Run(ReadAsync);

    /// <summary>Completion messages (type 3) for <paramref name="invocationId"/>.</summary>
    public IReadOnlyList<JsonElement> CompletionsOf(string invocationId) =>
        [.. Messages.Where(m => HubFraming.Type(m) == HubFraming.CompletionType && m.TryGetProperty("invocationId", out var id) && id.GetString() == invocationId)];

    /// <summary>Server-to-client calls (type 1) of <paramref name="target"/>: their argument lists.</summary>
    public IReadOnlyList<JsonElement> CallsOf(string target) =>
        [.. Messages.Where(m => HubFraming.Type(m) == HubFraming.InvocationType && m.GetProperty("target").GetString() == target).Select(m => m.GetProperty("arguments"))];

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var records = new HubFraming.Reader();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = result.CloseStatus;
                    break;
                }
                foreach (var record in records.Add(Encoding.UTF8.GetString(buffer, 0, result.Count)))
                {
                    _messages.Enqueue(HubFraming.Parse(record));
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        _closed.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _tcp?.Dispose();
        if (_reader is not null)
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }
}
