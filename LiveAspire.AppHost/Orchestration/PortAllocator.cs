using System.Net;
using System.Net.Sockets;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>
/// Hands out loopback ports from the configured block. A port is handed out only if it can be bound right now and
/// was not handed out before in this run; a process that still loses the race reports "address already in use"
/// and its runner asks for another.
/// </summary>
public sealed class PortAllocator(int first, int last)
{
    private readonly HashSet<int> _taken = [];
    private readonly Lock _lock = new();
    private int _cursor = -1;

    public int Allocate(string forWhat)
    {
        lock (_lock)
        {
            if (_cursor < first || _cursor > last)
            {
                _cursor = first;
            }
            for (var tries = 0; tries <= last - first; tries++)
            {
                var port = _cursor;
                _cursor = _cursor >= last ? first : _cursor + 1;
                if (!_taken.Contains(port) && IsFree(port))
                {
                    _taken.Add(port);
                    return port;
                }
            }
        }
        throw new DistributedApplicationException(
            $"no free port for {forWhat} in the block {first}-{last}; set AppHost:PortRangeStart/PortRangeEnd to a free range below 32768");
    }

    /// <summary>Marks a fixed port as used by this run, failing with a one-line error when another process holds it.</summary>
    public void Reserve(int port, string forWhat, string setting)
    {
        lock (_lock)
        {
            if (_taken.Contains(port) || !IsFree(port))
            {
                throw new DistributedApplicationException(
                    $"port {port} for {forWhat} is taken by another process; stop it or set {setting} to a free port");
            }
            _taken.Add(port);
        }
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

/// <summary>A start-up failure with a one-line message that names the problem and the fix; printed without a stack trace.</summary>
public sealed class DistributedApplicationException(string message) : Exception(message);
