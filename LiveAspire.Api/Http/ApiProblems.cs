namespace LiveAspire.Api.Http;

/// <summary>Problem details carrying the stable <c>code</c> extension (docs/errors.md).</summary>
public static class ApiProblems
{
    public const string CodeExtension = "code";

    public static ProblemHttpResult Problem(int status, string code, string title)
        => TypedResults.Problem(title: title, statusCode: status, extensions: new Dictionary<string, object?> { [CodeExtension] = code });

    public static ValidationProblem Validation(string field, string message)
        => TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            extensions: new Dictionary<string, object?> { [CodeExtension] = ApiErrorCodes.ValidationFailed });

    public static ValidationProblem Validation(Dictionary<string, string[]> errors)
        => TypedResults.ValidationProblem(errors, extensions: new Dictionary<string, object?> { [CodeExtension] = ApiErrorCodes.ValidationFailed });

    /// <summary>
    /// Gives every problem response a <c>code</c>, including those the framework writes itself (401 and 403 from
    /// authentication, 404, 405, 415, 429, 500), derived from the status when the producer set none.
    /// </summary>
    public static void AddCode(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Extensions.ContainsKey(CodeExtension))
        {
            return;
        }
        context.ProblemDetails.Extensions[CodeExtension] = context.ProblemDetails.Status switch
        {
            StatusCodes.Status400BadRequest => ApiErrorCodes.ValidationFailed,
            StatusCodes.Status401Unauthorized => ApiErrorCodes.Unauthenticated,
            StatusCodes.Status403Forbidden => ApiErrorCodes.Forbidden,
            StatusCodes.Status404NotFound => ApiErrorCodes.NotFound,
            StatusCodes.Status405MethodNotAllowed => ApiErrorCodes.MethodNotAllowed,
            StatusCodes.Status415UnsupportedMediaType => ApiErrorCodes.UnsupportedMediaType,
            StatusCodes.Status429TooManyRequests => ApiErrorCodes.RateLimited,
            _ => ApiErrorCodes.InternalError,
        };
    }
}
