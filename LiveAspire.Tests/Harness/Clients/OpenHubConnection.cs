using System.Net.WebSockets;
using System.Text;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>
/// A hub connection made by hand over one transport. It answers the hub's keep-alive rules (a Ping every few
/// seconds, so the server's client timeout never closes it mid-test) until it is closed or abandoned.
/// </summary>
public abstract class OpenHubConnection : IAsyncDisposable
{
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(3);

    private readonly Lock _lock = new();
    private readonly HubFraming.Reader _records = new();
    private readonly TaskCompletionSource<JsonElement?> _handshakeAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _pinging = new();
    private Task _keepAlive = Task.CompletedTask;
    private Task _receiving = Task.CompletedTask;

    /// <summary>Cancelled when the client stops receiving (abandoned or disposed).</summary>
    protected CancellationTokenSource Receiving { get; } = new();

    /// <summary>Completes when the server ended the connection.</summary>
    public Task Closed => _closed.Task;

    protected abstract Task SendAsync(string text, CancellationToken cancellationToken);

    /// <summary>Receives until the server ends the connection (then calls <see cref="OnClosed"/>) or <see cref="Receiving"/> is cancelled.</summary>
    protected abstract Task ReceiveAsync();

    /// <summary>Tells the server the connection is over, by the transport's own means.</summary>
    protected abstract Task CloseTransportAsync();

    internal async Task<JsonElement?> HandshakeAsync()
    {
        _receiving = Task.Run(ReceiveAsync);
        using var cts = new CancellationTokenSource(EdgeClient.StepTimeout);
        await SendAsync(HubFraming.Handshake, cts.Token);
        return await _handshakeAnswer.Task;
    }

    internal void StartKeepAlive() => _keepAlive = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_pinging.Token))
            {
                await SendAsync(HubFraming.Ping, _pinging.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or WebSocketException or IOException or ObjectDisposedException)
        {
        }
    });

    protected void OnReceived(string text)
    {
        lock (_lock)
        {
            // Only the first record matters here (the handshake's answer); later ones are the hub's pings and calls.
            var first = _records.Add(text).FirstOrDefault();
            if (first is not null && !_handshakeAnswer.Task.IsCompleted)
            {
                _handshakeAnswer.TrySetResult(HubFraming.Parse(first));
            }
        }
    }

    protected void OnClosed()
    {
        _handshakeAnswer.TrySetResult(null);
        _closed.TrySetResult();
    }

    /// <summary>Closes the connection as a well-behaved client does, and waits until the server has ended it.</summary>
    public async Task CloseAsync()
    {
        await _pinging.CancelAsync();
        await _keepAlive;
        await CloseTransportAsync();
        await Closed.WaitAsync(EdgeClient.StepTimeout);
    }

    /// <summary>Goes silent without telling the server: no more pings, reads or polls, as a client that vanished.</summary>
    public async Task AbandonAsync()
    {
        await _pinging.CancelAsync();
        await Receiving.CancelAsync();
        await _keepAlive;
        await _receiving;
    }

    public virtual async ValueTask DisposeAsync()
    {
        await AbandonAsync();
        _pinging.Dispose();
        Receiving.Dispose();
        GC.SuppressFinalize(this);
    }
}

internal sealed class WebSocketHubConnection(ClientWebSocket socket) : OpenHubConnection
{
    protected override Task SendAsync(string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    protected override async Task ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, Receiving.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                OnReceived(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
        }
        OnClosed();
    }

    protected override Task CloseTransportAsync()
    {
        using var cts = new CancellationTokenSource(EdgeClient.StepTimeout);
        return socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
    }

    public override async ValueTask DisposeAsync()
    {
        socket.Abort();
        await base.DisposeAsync();
        socket.Dispose();
    }
}

/// <summary>Sends with POSTs on the connection id, as both HTTP transports do.</summary>
internal abstract class HttpHubConnection(EdgeClient client, string token, string id) : OpenHubConnection
{
    protected EdgeClient Client { get; } = client;

    protected string Token { get; } = token;

    protected string Query { get; } = $"{LiveHubContract.Path}?id={Uri.EscapeDataString(id)}";

    protected override async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        using var request = Client.Request(HttpMethod.Post, Query, Token);
        request.Content = new StringContent(text, Encoding.UTF8, "text/plain");
        using var response = await Client.Http.SendAsync(request, cancellationToken);
    }
}

internal sealed class EventStreamHubConnection(EdgeClient client, string token, string id, HttpRequestMessage request, HttpResponseMessage response)
    : HttpHubConnection(client, token, id)
{
    protected override async Task ReceiveAsync()
    {
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Receiving.Token));
            while (await reader.ReadLineAsync(Receiving.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    OnReceived(line["data: ".Length..]);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or ObjectDisposedException)
        {
        }
        OnClosed();
    }

    /// <summary>An event stream ends when the client drops the request: the stream's end is the close.</summary>
    protected override Task CloseTransportAsync()
    {
        response.Dispose();
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        response.Dispose();
        request.Dispose();
    }
}

internal sealed class LongPollingHubConnection(EdgeClient client, string token, string id) : HttpHubConnection(client, token, id)
{
    /// <summary>Polls until the server answers that the connection is over (204, or 404 once it is gone).</summary>
    protected override async Task ReceiveAsync()
    {
        try
        {
            while (true)
            {
                using var request = Client.Request(HttpMethod.Get, Query, Token);
                using var response = await Client.Http.SendAsync(request, Receiving.Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    break;
                }
                OnReceived(await response.Content.ReadAsStringAsync(Receiving.Token));
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
        }
        OnClosed();
    }

    /// <summary>Long polling's own close: DELETE on the connection id (answered 202).</summary>
    protected override async Task CloseTransportAsync()
    {
        using var cts = new CancellationTokenSource(EdgeClient.StepTimeout);
        using var request = Client.Request(HttpMethod.Delete, Query, Token);
        using var response = await Client.Http.SendAsync(request, cts.Token);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new IOException($"DELETE answered {(int)response.StatusCode}");
        }
    }
}
