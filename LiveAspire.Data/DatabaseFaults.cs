using System.Net.Sockets;

namespace LiveAspire.Data;

/// <summary>
/// Whether a failure means PostgreSQL is unavailable, which every service answers the same way: Api with 503
/// <c>database_unavailable</c> on REST, Realtime with 503 <c>database_unavailable</c> on the hub's HTTP requests and
/// <c>database_unavailable: ...</c> on a hub call (docs/errors.md). One classification, so that a failure one service
/// calls an outage the other does not call a bug.
/// </summary>
public static class DatabaseFaults
{
    /// <summary>A client's back-off before retrying, in milliseconds (<c>Retry-After</c> says it in whole seconds).</summary>
    public const int RetryAfterMs = 1000;

    /// <summary>
    /// True when the database could not be reached or went away: a transient Npgsql failure (refused or broken
    /// connection, timeout), or the server saying it is shutting down or starting (SQLSTATE class 57P, 08), wherever
    /// it sits in the chain (EF Core wraps a failed save in <c>DbUpdateException</c>).
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException p:
                    return p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.IsTransient;
                case NpgsqlException n when n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException:
                    return true;
            }
        }
        return false;
    }
}
