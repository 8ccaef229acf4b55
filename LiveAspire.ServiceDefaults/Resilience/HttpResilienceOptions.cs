namespace LiveAspire.ServiceDefaults.Resilience;

/// <summary>
/// Resilience of outgoing HttpClient calls, bound from <c>Resilience:Http</c>; a named client can override any value
/// under <c>Resilience:Http:Clients:{clientName}</c>.
/// </summary>
public sealed class HttpResilienceOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "Resilience:Http";

    /// <summary>Longest a request may take in total, all attempts and retry delays included. Default 30 seconds.</summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest one attempt may take before it is cancelled (and retried when allowed). Default 10 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt, for idempotent methods only; 0 turns retries off. Default 3.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base of the exponential backoff between attempts (jitter is added). Default 2 seconds.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Failure ratio (0 to 1) within the sampling window that opens the circuit. Default 0.5.</summary>
    public double CircuitBreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Window over which the circuit breaker counts failures. Default 30 seconds.</summary>
    public TimeSpan CircuitBreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fewest calls in the sampling window before the circuit may open (a count). Default 10.</summary>
    public int CircuitBreakerMinimumThroughput { get; set; } = 10;

    /// <summary>How long an open circuit rejects calls before letting a trial call through. Default 5 seconds.</summary>
    public TimeSpan CircuitBreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
