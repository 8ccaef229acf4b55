using System.Net.Sockets;

namespace LiveAspire.Postgres;

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

    /// <summary>
    /// Runs <paramref name="work"/>, and once more on a fresh connection when it failed because the database was
    /// unavailable (<see cref="IsUnavailable"/>). After a PostgreSQL restart every idle pooled connection is dead, and
    /// the pool learns it only by using each one (Npgsql does not test a connection it hands out): the first failure
    /// empties the pool, so a restart costs no request at all rather than one failed request per dead connection. A
    /// database that is really down fails the second try too, and that failure is thrown.
    /// </summary>
    /// <remarks>Only for work that is safe to repeat: a read, an idempotent write, or a transaction that had not
    /// committed when it failed (a failed transaction is rolled back by the server).</remarks>
    /// <param name="onRetry">Told the first failure before the second try (for a log line).</param>
    public static async Task<T> OnceMoreOnFreshConnectionAsync<T>(
        NpgsqlDataSource database, Func<CancellationToken, Task<T>> work, Action<Exception>? onRetry, CancellationToken cancellationToken)
    {
        try
        {
            return await work(cancellationToken);
        }
        catch (Exception ex) when (IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            onRetry?.Invoke(ex);
            database.Clear();
            return await work(cancellationToken);
        }
    }

    /// <summary>The same as <see cref="OnceMoreOnFreshConnectionAsync{T}"/> for work without a result.</summary>
    public static Task OnceMoreOnFreshConnectionAsync(
        NpgsqlDataSource database, Func<CancellationToken, Task> work, Action<Exception>? onRetry, CancellationToken cancellationToken)
        => OnceMoreOnFreshConnectionAsync(database, async ct => { await work(ct); return true; }, onRetry, cancellationToken);

    /// <summary>The synchronous form, for interfaces that are synchronous (data protection's key repository).</summary>
    public static T OnceMoreOnFreshConnection<T>(NpgsqlDataSource database, Func<T> work, Action<Exception>? onRetry)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            onRetry?.Invoke(ex);
            database.Clear();
            return work();
        }
    }
}
