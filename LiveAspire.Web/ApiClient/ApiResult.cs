using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Web.ApiClient;

/// <summary>
/// An error Api answered (its problem details: status, <c>code</c>, title, per-field <c>errors</c>, <c>Retry-After</c>),
/// or, with status 0 and <see cref="WebErrorCodes.ApiUnavailable"/>, Api could not be reached. Pages turn it into words.
/// </summary>
public sealed record ApiProblem(int Status, string Code, string Title, IReadOnlyDictionary<string, string[]> Errors, TimeSpan? RetryAfter)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static ApiProblem Unavailable(string reason) => new(0, WebErrorCodes.ApiUnavailable, reason, NoErrors, null);

    /// <summary>The messages Api gave for one field (<c>errors</c> keys are camelCase: <c>username</c>, <c>newPassword</c>).</summary>
    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    /// <summary>Reads an error answer; a body that is not problem details keeps the status with code <c>internal_error</c>.</summary>
    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var retryAfter = response.Headers.RetryAfter?.Delta;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            var code = body.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : ApiErrorCodes.InternalError;
            var title = body.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : response.ReasonPhrase ?? "";
            var errors = body.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
                ? e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Array
                    ? p.Value.EnumerateArray().Select(m => m.GetString() ?? "").ToArray() : [], StringComparer.OrdinalIgnoreCase)
                : new Dictionary<string, string[]>();
            return new ApiProblem((int)response.StatusCode, code, title, errors, retryAfter);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return new ApiProblem((int)response.StatusCode, ApiErrorCodes.InternalError, response.ReasonPhrase ?? "", NoErrors, retryAfter);
        }
    }

    public bool Is(HttpStatusCode status) => Status == (int)status;
}

/// <summary>What a call to Api gave: the value, or the problem (never both).</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;

    public static ApiResult<T> Ok(T value) => new(value, null);

    public static ApiResult<T> Failed(ApiProblem problem) => new(default, problem);
}

/// <summary>A call with no body in its answer (204, 202).</summary>
public readonly record struct NoContent;
