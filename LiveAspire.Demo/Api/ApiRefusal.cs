namespace LiveAspire.Demo.Api;

/// <summary>Api answered a call with an error the caller must decide about: its status and problem <c>code</c>
/// (docs/errors.md). Answers that only ask to wait (429, 503 with <c>Retry-After</c>) never get here: <see cref="DemoApi"/>
/// waits them out.</summary>
public sealed class ApiRefusal(string call, int status, string code)
    : Exception($"{call} answered {status} {code}")
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}

/// <summary>Which failures of a call are worth trying again later: Api unreachable, slow or failing on its side.</summary>
public static class ApiFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        ApiRefusal refusal => refusal.Status >= 500,
        HttpRequestException or TaskCanceledException or TimeoutException => true,
        Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException => true,
        System.Text.Json.JsonException => true,
        _ => false,
    };
}
