using System.Net.Sockets;
using System.Text;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>
/// Just enough of the Redis protocol to ask "are you up, and does my password work?". The AppHost stays free of a
/// Redis client library: it only needs AUTH and PING.
/// </summary>
internal static class RespClient
{
    public static async Task<string?> PingAsync(int port, string password, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, cancellationToken);
        var stream = client.GetStream();
        var command = Command("AUTH", password) + Command("PING");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(command), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        var auth = await reader.ReadLineAsync(cancellationToken);
        var ping = await reader.ReadLineAsync(cancellationToken);
        if (auth != "+OK")
        {
            return $"AUTH answered {auth}";
        }
        return ping == "+PONG" ? null : $"PING answered {ping}";
    }

    private static string Command(params string[] parts)
    {
        var sb = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
        {
            sb.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }
        return sb.ToString();
    }
}
