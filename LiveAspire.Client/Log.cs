using Microsoft.Extensions.Logging;

namespace LiveAspire.Client;

/// <summary>Client log lines. Never a token, never an event's payload: rooms, seqs, reasons and codes only.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Connected to {HubUrl}")]
    public static partial void Connected(ILogger logger, Uri hubUrl);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Connection ended ({Reason}); reconnecting")]
    public static partial void Reconnecting(ILogger logger, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Reconnected after {Attempts} attempt(s)")]
    public static partial void Reconnected(ILogger logger, int attempts);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Reconnect attempt {Attempt} failed ({Error}); next in {DelayMs} ms")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, string error, long delayMs);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Client stopped for good: {State} ({Reason})")]
    public static partial void Terminal(ILogger logger, LiveHubState state, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Server asked to reconnect: {Reason}")]
    public static partial void ReconnectRequested(ILogger logger, string reason);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Server error {Code}: {ErrorMessage} (retry after {RetryAfterMs} ms)")]
    public static partial void ServerError(ILogger logger, string code, string errorMessage, int? retryAfterMs);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Information, Message = "Room {Room} fell behind at seq {LastSeq} ({Why}); resuming it")]
    public static partial void RoomBehind(ILogger logger, string room, long? lastSeq, string why);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "Room {Room} was not recovered; reset to epoch {Epoch} seq {Seq}")]
    public static partial void RoomReset(ILogger logger, string room, string epoch, long seq);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Warning, Message = "Room {Room} refused: {Code}")]
    public static partial void RoomRefused(ILogger logger, string room, string code);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Room {Room} not joined for now ({Code}); asking again in {DelayMs} ms")]
    public static partial void RoomRetry(ILogger logger, string room, string code, int delayMs);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Resume failed: {Error}")]
    public static partial void ResumeFailed(ILogger logger, string error);

    // 3111 (server timeout) and 3112 (protocol error) are SignalR's to detect now; they end the connection and show
    // in 3101's reason.

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "A handler of {Handler} threw")]
    public static partial void HandlerFailed(ILogger logger, string handler, Exception exception);
}
