namespace LiveAspire.Contracts.Realtime;

/// <summary>
/// Values of <c>reason</c> in <see cref="ILiveClient.Reconnect"/>: the server is about to close the connection and the
/// client should reconnect at once and resume its rooms. docs/errors.md lists them (a test keeps them equal).
/// </summary>
public static class ReconnectReasons
{
    /// <summary>The connection fell too far behind: its send queue filled with reliable events.</summary>
    public const string SlowConsumer = "slow_consumer";

    /// <summary>The replica is stopping; reconnecting lands on another one.</summary>
    public const string Shutdown = "shutdown";
}
