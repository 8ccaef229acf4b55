namespace LiveAspire.Client;

/// <summary>Where a <see cref="LiveHubClient"/> is in its life. The last four are terminal: no reconnect follows.</summary>
public enum LiveHubState
{
    /// <summary>Created; <see cref="LiveHubClient.ConnectAsync"/> not called yet (or the first attempt failed).</summary>
    Disconnected,
    /// <summary>The first connection is being opened.</summary>
    Connecting,
    /// <summary>Connected and handshaken.</summary>
    Connected,
    /// <summary>The connection was lost or the server asked to reconnect; retrying with backoff.</summary>
    Reconnecting,
    /// <summary>Terminal: <see cref="LiveHubClient.StopAsync"/> or dispose.</summary>
    Stopped,
    /// <summary>Terminal: the server sent <c>Revoked(reason)</c>; the session is over.</summary>
    Revoked,
    /// <summary>Terminal: the WebSocket upgrade was answered with 401 (a token that will not get better by retrying).</summary>
    Unauthorized,
    /// <summary>Terminal: the server sent a Close message without <c>allowReconnect</c>.</summary>
    ClosedByServer,
}

/// <summary>A room whose history the client could not recover (<c>recovered:false</c>): the app reloads it (from REST
/// history where the room has one) and the client continues from <paramref name="Epoch"/>/<paramref name="Seq"/>.</summary>
public sealed record RoomReset(string Room, string Epoch, long Seq);

/// <summary>An <c>Error(code, message, retryAfterMs)</c> sent by the server; codes are listed in docs/errors.md.</summary>
public sealed record LiveHubError(string Code, string Message, int? RetryAfterMs);

/// <summary>Running totals, safe to read from any thread (each value is read atomically; the set is not a snapshot).</summary>
public sealed class LiveHubCounters
{
    internal long ReconnectsField;
    internal long ConnectAttemptsField;
    internal long EventsDeliveredField;
    internal long DuplicatesDroppedField;
    internal long StaleDroppedField;
    internal long OutOfOrderDroppedField;
    internal long GapResumesField;
    internal long RoomResetsField;
    internal long PingsSentField;

    /// <summary>Successful reconnects after a lost connection or a <c>Reconnect</c> request.</summary>
    public long Reconnects => Interlocked.Read(ref ReconnectsField);
    /// <summary>WebSocket connection attempts, the first one included.</summary>
    public long ConnectAttempts => Interlocked.Read(ref ConnectAttemptsField);
    /// <summary>Envelopes written to <see cref="LiveHubClient.Events"/>.</summary>
    public long EventsDelivered => Interlocked.Read(ref EventsDeliveredField);
    /// <summary>Envelopes dropped because their <c>id</c> was already delivered.</summary>
    public long DuplicatesDropped => Interlocked.Read(ref DuplicatesDroppedField);
    /// <summary>Envelopes dropped because their <c>seq</c> was not after the room's last seq in the same epoch.</summary>
    public long StaleDropped => Interlocked.Read(ref StaleDroppedField);
    /// <summary>Envelopes dropped because they skipped ahead (or changed epoch): the room is resumed instead, and the
    /// replay brings them again in order.</summary>
    public long OutOfOrderDropped => Interlocked.Read(ref OutOfOrderDroppedField);
    /// <summary>Resumes of one room started by a <c>room.gap</c> marker or an out-of-order envelope.</summary>
    public long GapResumes => Interlocked.Read(ref GapResumesField);
    /// <summary><see cref="LiveHubClient.RoomReset"/> events raised.</summary>
    public long RoomResets => Interlocked.Read(ref RoomResetsField);
    /// <summary>Keep-alive pings sent.</summary>
    public long PingsSent => Interlocked.Read(ref PingsSentField);

    internal void Increment(ref long field) => Interlocked.Increment(ref field);
}

/// <summary>The connection could not be opened or was lost; retrying may help.</summary>
public class LiveHubConnectionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LiveHubConnectionException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The WebSocket upgrade was answered with 401: get a new token before trying again.</summary>
public sealed class LiveHubUnauthorizedException : LiveHubConnectionException
{
    /// <summary>Creates the exception.</summary>
    public LiveHubUnauthorizedException() : base("The hub refused the token (401).") { }
}

/// <summary>The server completed an invocation with an error; <see cref="Exception.Message"/> is the server's text.</summary>
public sealed partial class LiveHubInvocationException(string message) : Exception(message)
{
    /// <summary>The documented error code the server's text starts with (after SignalR's <c>HubException: </c>
    /// prefix, docs/errors.md); null when the text names none.</summary>
    public string? Code { get; } = CodePattern().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>How long to wait before retrying, when the text says (<c>retry after N ms</c>); null otherwise.</summary>
    public int? RetryAfterMs { get; } = RetryPattern().Match(message) is { Success: true } m && int.TryParse(m.Groups[1].Value, out var ms) ? ms : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:HubException: |^)([a-z][a-z_]*): ")]
    private static partial System.Text.RegularExpressions.Regex CodePattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"retry after (\d+) ms")]
    private static partial System.Text.RegularExpressions.Regex RetryPattern();
}
