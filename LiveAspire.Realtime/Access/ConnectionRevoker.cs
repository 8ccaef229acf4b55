using LiveAspire.Realtime.Delivery;
using LiveAspire.Realtime.Telemetry;

namespace LiveAspire.Realtime.Access;

/// <summary>
/// Ends a connection whose session or overlay key was revoked, or a guest's whose channel closed to guests: <c>Revoked(reason)</c> (waited for at most 2 s), then
/// the close. Once per connection, whichever finds it first: the notice (<see cref="RevocationListener"/>) or the
/// periodic re-check (<see cref="SessionRecheck"/>).
/// </summary>
public sealed partial class ConnectionRevoker(IHubClients<ILiveClient> clients, ILogger<ConnectionRevoker> logger)
{
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(2);

    /// <param name="found">How the revocation was found, for the log line (<c>notice</c>, <c>recheck</c>).</param>
    public async Task RevokeAsync(LiveConnection connection, string reason, string found)
    {
        if (Interlocked.Exchange(ref connection.Revoking, 1) == 1)
        {
            return;
        }
        try
        {
            await clients.Client(connection.ConnectionId).Revoked(reason).WaitAsync(NoticeTimeout);
        }
        catch (Exception e) when (e is TimeoutException or IOException or OperationCanceledException)
        {
            // The notice is a courtesy; closing is what matters.
        }
        connection.Abort();
        RealtimeTelemetry.RevokedConnections.Add(1);
        LogRevoked(logger, connection.ConnectionId, Owner(connection), reason, found);
    }

    /// <summary>Who the connection is, for the log line: the user, the overlay key, or the guest's channel (never a guest id: it names nobody).</summary>
    private static string Owner(LiveConnection connection) =>
        connection.UserId?.ToString("D")
        ?? (connection.GuestChannelId is { } channel ? $"a guest of channel {channel:D}" : $"overlay key {connection.OverlayKeyId:D}");

    [LoggerMessage(EventId = 3601, Level = LogLevel.Information, Message = "Closed connection {ConnectionId} of {Owner}: revoked ({Reason}, found by {Found})")]
    private static partial void LogRevoked(ILogger logger, string connectionId, string owner, string reason, string found);
}
