using LiveAspire.Postgres;

namespace LiveAspire.Realtime.Edge;

/// <summary>
/// A hub call that needed PostgreSQL while it is unavailable fails with <c>database_unavailable: ...</c>
/// (<see cref="DatabaseFaults.IsUnavailable"/>, the classification Api answers REST with), a code the client can act on:
/// SignalR sends a <see cref="HubException"/>'s message and hides any other exception behind "An unexpected error
/// occurred", which a client cannot tell from a bug. Such a call is a join of a <c>mod:</c> or <c>alerts:</c> room whose
/// caller's channel roles Redis does not hold (<c>RoomAccess</c>); a room whose check failed is not joined, and asking
/// again once the database is back does.
/// </summary>
public sealed partial class DatabaseUnavailableFilter(ILogger<DatabaseUnavailableFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext,
        Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception ex) when (DatabaseFaults.IsUnavailable(ex))
        {
            LogUnavailable(logger, invocationContext.HubMethodName, invocationContext.Context.ConnectionId, ex.GetBaseException().Message);
            throw new HubException($"{HubErrorCodes.DatabaseUnavailable}: the database is unavailable; retry after {DatabaseFaults.RetryAfterMs} ms");
        }
    }

    [LoggerMessage(EventId = 3706, Level = LogLevel.Warning, Message = "Hub call {Method} of connection {ConnectionId} failed: the database is unavailable ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string method, string connectionId, string error);
}
