using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace LiveAspire.ServiceDefaults.Resilience;

/// <summary>
/// One pipeline per HttpClient name for the life of the process. The factory rebuilds handler chains every few
/// minutes; keeping the pipeline here keeps the circuit breaker's state across those rebuilds, and gives each
/// downstream service (one client name each) its own breaker.
/// </summary>
public sealed partial class HttpResiliencePipelines(IOptionsMonitor<HttpResilienceOptions> options, ILogger<HttpResiliencePipelines> logger)
{
    /// <summary>The request being sent, so the retry predicate can see its method.</summary>
    internal static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("LiveAspire.HttpRequest");

    private readonly ConcurrentDictionary<string, ResiliencePipeline<HttpResponseMessage>> _pipelines = new();

    /// <summary>The pipeline for the client called <paramref name="clientName"/> (empty for the unnamed client).</summary>
    public ResiliencePipeline<HttpResponseMessage> Get(string clientName)
        => _pipelines.GetOrAdd(clientName, name => Build(name, options.Get(name)));

    private ResiliencePipeline<HttpResponseMessage> Build(string clientName, HttpResilienceOptions o)
    {
        // Outermost first: the total timeout bounds everything; each retry gets a fresh attempt timeout; the breaker
        // sits inside the retry so every attempt counts toward (and is refused by) an open circuit.
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(o.TotalRequestTimeout);
        if (o.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = o.MaxRetryAttempts,
                Delay = o.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(IsIdempotent(args.Context) && IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    LogRetry(logger, clientName, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds,
                        args.Outcome.Result is { } r ? (int)r.StatusCode : null, args.Outcome.Exception?.GetType().Name);
                    return default;
                },
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = o.CircuitBreakerFailureRatio,
            SamplingDuration = o.CircuitBreakerSamplingDuration,
            MinimumThroughput = o.CircuitBreakerMinimumThroughput,
            BreakDuration = o.CircuitBreakerBreakDuration,
            ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                LogCircuitOpened(logger, clientName, args.BreakDuration.TotalSeconds);
                return default;
            },
        });
        return builder.AddTimeout(o.AttemptTimeout).Build();
    }

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500
            || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };

    // POST and PATCH may have taken effect before the failure; repeating them could charge a tip twice.
    internal static bool IsIdempotent(ResilienceContext context)
        => context.Properties.TryGetValue(RequestKey, out var request) && IsIdempotent(request.Method);

    internal static bool IsIdempotent(HttpMethod method)
        => method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
           || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Trace;

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "HttpClient {ClientName}: retry {Attempt} in {DelayMs} ms after status {StatusCode} / {ExceptionType}")]
    private static partial void LogRetry(ILogger logger, string clientName, int attempt, double delayMs, int? statusCode, string? exceptionType);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "HttpClient {ClientName}: circuit opened for {BreakSeconds} s")]
    private static partial void LogCircuitOpened(ILogger logger, string clientName, double breakSeconds);
}
