using System.Net;
using System.Net.Sockets;

namespace LiveAspire.AppHost.Local;

/// <summary>
/// Hands out loopback ports from the configured block in model order, skipping ports another process holds, so an
/// idle machine gets the same ports on every run and a busy one still starts.
/// </summary>
public sealed class PortBlock(int first, int last)
{
    private readonly HashSet<int> _taken = [];
    private int _next;

    public int Next(string forWhat)
    {
        for (var port = Math.Max(first, _next); port <= last; port++)
        {
            if (!_taken.Contains(port) && IsFree(port))
            {
                _taken.Add(port);
                _next = port + 1;
                return port;
            }
        }
        throw new StartupException(
            $"no free port for {forWhat} in the block {first}-{last}; choose another with --port-range-start and --port-range-end (below 32768)");
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
