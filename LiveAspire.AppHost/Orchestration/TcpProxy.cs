using System.Net;
using System.Net.Sockets;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>
/// The one endpoint in front of a replicated project, as Aspire puts one in front of replicas: each accepted
/// connection goes to the next healthy replica, round-robin, and bytes are copied both ways until either side
/// closes. WebSockets skip negotiation, so no affinity is needed (DESIGN.md section 4).
/// </summary>
public sealed class TcpProxy(int port, Func<IReadOnlyList<int>> healthyPorts, Func<IReadOnlyList<int>> allPorts) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private int _next;

    public int Port => port;

    public void Start()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _listener.Listen(1024);
        _acceptLoop = AcceptLoopAsync(_listener, _stop.Token);
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _ = Task.Run(() => ServeAsync(client, cancellationToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            client.NoDelay = true;
            using var upstream = await ConnectUpstreamAsync(cancellationToken);
            if (upstream is null)
            {
                return; // No replica is up: closing the connection is the honest answer for a TCP proxy.
            }
            await using var a = new NetworkStream(client, ownsSocket: false);
            await using var b = new NetworkStream(upstream, ownsSocket: false);
            // When one direction ends (or fails), the other cannot be useful for long: close both.
            await Task.WhenAny(CopyAsync(a, b, cancellationToken), CopyAsync(b, a, cancellationToken));
        }
    }

    private async Task<Socket?> ConnectUpstreamAsync(CancellationToken cancellationToken)
    {
        var candidates = healthyPorts();
        if (candidates.Count == 0)
        {
            candidates = allPorts();
        }
        for (var attempt = 0; attempt < candidates.Count; attempt++)
        {
            var target = candidates[(int)((uint)Interlocked.Increment(ref _next) % candidates.Count)];
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, target), cancellationToken);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }
        return null;
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, 16 * 1024, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset or a shutdown on either side ends this connection, nothing more.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Dispose();
        await _acceptLoop;
        _stop.Dispose();
    }
}
