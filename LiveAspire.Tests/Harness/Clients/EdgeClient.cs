using System.Net.Http.Headers;
using System.Net.WebSockets;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>
/// Opens hub connections by hand, over each transport, from one client address: every socket is bound to
/// <paramref name="address"/> (any of 127.0.0.0/8 on Linux), so the server sees that peer. With
/// <paramref name="forwardedFor"/> every request carries it as <c>X-Forwarded-For</c>, as a proxy would send it.
/// </summary>
public sealed class EdgeClient(Uri realtime, string address, string? forwardedFor = null) : IDisposable
{
    /// <summary>Longest any one step (an upgrade, a request, a handshake) may take.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private readonly SocketsHttpHandler _handler = ClientAddress.Handler(address);

    private HttpClient? _http;

    /// <summary>Plain HTTP from this address. No client timeout: a long poll may rightly wait; callers bound each call.</summary>
    internal HttpClient Http => _http ??= new HttpClient(_handler, disposeHandler: false)
    {
        BaseAddress = realtime,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    internal HttpRequestMessage Request(HttpMethod method, string pathAndQuery, string token)
    {
        var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return request;
    }

    /// <summary>The negotiate request (SSE and long polling start with it; WebSocket clients skip it).</summary>
    public async Task<HttpResponseMessage> NegotiateAsync(string token)
    {
        using var cts = new CancellationTokenSource(StepTimeout);
        using var request = Request(HttpMethod.Post, $"{LiveHubContract.Path}/negotiate?negotiateVersion=1", token);
        return await Http.SendAsync(request, cts.Token);
    }

    /// <summary>Negotiates a connection (which the server keeps, unstarted, for a while) and returns its token.</summary>
    public async Task<string> NegotiatedIdAsync(string token)
    {
        using var response = await NegotiateAsync(token);
        Assert.True(response.IsSuccessStatusCode, $"negotiate answered {(int)response.StatusCode}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("connectionToken").GetString()!;
    }

    /// <summary>A WebSocket connection, skipping negotiation unless <paramref name="id"/> names a negotiated one.</summary>
    public async Task<HubAttempt> WebSocketAsync(string token, string? id = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        if (forwardedFor is not null)
        {
            socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        }
        var url = new UriBuilder(realtime) { Scheme = "ws", Path = LiveHubContract.Path, Query = id is null ? "" : $"id={Uri.EscapeDataString(id)}" }.Uri;
        using var cts = new CancellationTokenSource(StepTimeout);
        try
        {
            await socket.ConnectAsync(url, new HttpMessageInvoker(_handler, disposeHandler: false), cts.Token);
        }
        catch (WebSocketException)
        {
            var refusal = new Refusal(socket.HttpStatusCode, RetryAfter(socket.HttpResponseHeaders), null);
            socket.Dispose();
            return new HubAttempt(null, refusal);
        }
        return await HubAttempt.HandshakeAsync(new WebSocketHubConnection(socket));
    }

    /// <summary>A Server-Sent Events connection on the negotiated connection <paramref name="id"/>.</summary>
    public async Task<HubAttempt> EventStreamAsync(string token, string id)
    {
        var request = Request(HttpMethod.Get, $"{LiveHubContract.Path}?id={Uri.EscapeDataString(id)}", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var cts = new CancellationTokenSource(StepTimeout);
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        if (!response.IsSuccessStatusCode)
        {
            using (request)
            using (response)
            {
                return new HubAttempt(null, new Refusal(response.StatusCode, RetryAfter(response.Headers), null));
            }
        }
        return await HubAttempt.HandshakeAsync(new EventStreamHubConnection(this, token, id, request, response));
    }

    /// <summary>A long-polling connection on the negotiated connection <paramref name="id"/>.</summary>
    public async Task<HubAttempt> LongPollingAsync(string token, string id)
    {
        using var cts = new CancellationTokenSource(StepTimeout);
        using var first = Request(HttpMethod.Get, $"{LiveHubContract.Path}?id={Uri.EscapeDataString(id)}", token);
        using var response = await Http.SendAsync(first, cts.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new HubAttempt(null, new Refusal(response.StatusCode, RetryAfter(response.Headers), null));
        }
        return await HubAttempt.HandshakeAsync(new LongPollingHubConnection(this, token, id));
    }

    private static int? RetryAfter(IReadOnlyDictionary<string, IEnumerable<string>>? headers) =>
        headers is not null && headers.TryGetValue("Retry-After", out var values) ? int.Parse(values.Single()) : null;

    private static int? RetryAfter(HttpResponseHeaders headers) =>
        headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : null;

    public void Dispose()
    {
        _http?.Dispose();
        _handler.Dispose();
    }
}

/// <summary>A refused attempt: the HTTP status before the transport started, or the handshake's error.</summary>
public sealed record Refusal(HttpStatusCode Status, int? RetryAfterSeconds, string? HandshakeError);

/// <summary>How an attempt to open a hub connection ended: an open connection (handshake accepted) or a refusal.</summary>
public sealed class HubAttempt(OpenHubConnection? connection, Refusal? refusal)
{
    public OpenHubConnection? Connection { get; } = connection;

    public Refusal? Refusal { get; } = refusal;

    /// <summary>The open connection; fails the test if the attempt was refused.</summary>
    public OpenHubConnection Open => Connection ?? throw new Xunit.Sdk.XunitException($"the connection was refused: {Refusal}");

    /// <summary>The refusal; fails the test if the connection opened.</summary>
    public Refusal Refused => Refusal ?? throw new Xunit.Sdk.XunitException("the connection opened; a refusal was expected");

    /// <summary>Sends the handshake and waits for the answer: <c>{}</c> opens the connection, an error refuses it.</summary>
    internal static async Task<HubAttempt> HandshakeAsync(OpenHubConnection connection)
    {
        try
        {
            var answer = await connection.HandshakeAsync().WaitAsync(EdgeClient.StepTimeout);
            if (answer is not { } record || record.TryGetProperty("error", out _))
            {
                await connection.DisposeAsync();
                var error = answer is { } r && r.TryGetProperty("error", out var e) ? e.GetString() : "closed without answering the handshake";
                return new HubAttempt(null, new Refusal(HttpStatusCode.OK, null, error));
            }
            connection.StartKeepAlive();
            return new HubAttempt(connection, null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
