using LiveAspire.Contracts.Errors;
using LiveAspire.Postgres;
using LiveAspire.Web.Sessions;
using Microsoft.AspNetCore.Diagnostics;

namespace LiveAspire.Web;

/// <summary>
/// PostgreSQL (where the sessions and the key ring live) cannot be reached: the request is answered 503 with
/// <c>Retry-After</c> instead of a 500. A script (it asks for <c>application/json</c>) gets
/// <c>{code: "database_unavailable", message}</c>; a page gets the Status page's words for 503, through the exception
/// handler's status code (<see cref="StatusCode"/>). What counts as unavailable is
/// <see cref="DatabaseFaults.IsUnavailable"/>, as at Api and Realtime. A single broken pooled connection never gets
/// here: the session store retries once on a fresh connection first (and emptied the pool then).
/// </summary>
public sealed partial class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    /// <summary>The status the exception handler sets before the Status page renders: 503 for an unavailable database, else 500.</summary>
    public static int StatusCode(Exception exception)
        => DatabaseFaults.IsUnavailable(exception) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseFaults.IsUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }
        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetBaseException().Message);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = (DatabaseFaults.RetryAfterMs / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        httpContext.Response.Headers.CacheControl = "no-store";
        if (!httpContext.Request.Headers.Accept.Any(a => a is not null && a.Contains("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return false; // the Status page renders the words for 503
        }
        await httpContext.Response.WriteAsJsonAsync(
            new WebError(ApiErrorCodes.DatabaseUnavailable, "The site's database is unavailable right now; try again in a moment."), cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning, Message = "{Method} {Path}: the database is unavailable ({Error}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string error);
}
