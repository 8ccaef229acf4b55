using System.Net.Sockets;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>
/// HTTP (and WebSocket upgrades) from a client address of the test's choosing: every socket is bound to it before it
/// connects, and all of 127.0.0.0/8 is loopback on Linux, so the server sees a peer of its own. For rate limits and
/// connection caps, whose budgets are per client address.
/// </summary>
public static class ClientAddress
{
    public static SocketsHttpHandler Handler(string address) => new()
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
