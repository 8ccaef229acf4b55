using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using LiveAspire.Postgres;

namespace LiveAspire.Api.Http;

/// <summary>
/// PostgreSQL cannot be reached (stopped, restarting, refusing connections, a connection cut mid-query): the request
/// is answered 503 with code <c>database_unavailable</c>, <c>retryAfterMs</c> and <c>Retry-After</c>, instead of a 500.
/// Nothing the request meant to write was committed (a write and its outbox row are one transaction), so the
/// caller may retry it as it is. What counts as unavailable is <see cref="DatabaseFaults.IsUnavailable"/>, shared with
/// Realtime. Any other exception is left to the default handler (500 <c>internal_error</c>).
/// The pool is emptied too: after a PostgreSQL restart every idle pooled connection is dead, and Npgsql learns it only
/// by using each one, so without this each dead connection would cost one more failed request.
/// </summary>
public sealed partial class DatabaseUnavailableHandler(IProblemDetailsService problems, NpgsqlDataSource database, ILogger<DatabaseUnavailableHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFaults.IsUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }
        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        database.Clear();
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = (DatabaseFaults.RetryAfterMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
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
                    ["retryAfterMs"] = DatabaseFaults.RetryAfterMs,
                },
            },
        });
    }

    [LoggerMessage(EventId = 2601, Level = LogLevel.Warning, Message = "{Method} {Path}: the database is unavailable ({Error}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string error);
}
