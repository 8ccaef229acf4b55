using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace LiveAspire.Api.Http;

/// <summary>
/// PostgreSQL cannot be reached (stopped, restarting, refusing connections, a connection cut mid-query): the request
/// is answered 503 with code <c>database_unavailable</c>, <c>retryAfterMs</c> and <c>Retry-After</c>, instead of a 500.
/// Nothing the request meant to write was committed (a write and its outbox row are one transaction), so the
/// caller may retry it as it is. Any other exception is left to the default handler (500 <c>internal_error</c>).
/// </summary>
public sealed partial class DatabaseUnavailableHandler(IProblemDetailsService problems, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>A client's back-off before retrying, in milliseconds (<c>Retry-After</c> says it in whole seconds).</summary>
    public const int RetryAfterMs = 1000;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }
        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = (RetryAfterMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable; retry shortly.",
                Extensions =
                {
                    [ApiProblems.CodeExtension] = ApiErrorCodes.DatabaseUnavailable,
                    ["retryAfterMs"] = RetryAfterMs,
                },
            },
        });
    }

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

    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "{Method} {Path}: the database is unavailable ({Error}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string error);
}
