using Polly;

namespace LiveAspire.ServiceDefaults.Resilience;

/// <summary>
/// Runs every request of one HttpClient through its <see cref="ResiliencePipeline{T}"/>. Placed before service
/// discovery in the chain, so each attempt is resolved afresh (a restarted service may have moved).
/// </summary>
public sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A request message can be sent only once and its content stream read only once, so a request that may be
        // retried is buffered here and every attempt sends a fresh copy. Others (POST, PATCH) go through as they are.
        var retryable = HttpResiliencePipelines.IsIdempotent(request.Method);
        byte[]? body = retryable && request.Content is not null
            ? await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false)
            : null;

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(HttpResiliencePipelines.RequestKey, request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync(
                async (ctx, _) =>
                {
                    try
                    {
                        var attempt = retryable ? Clone(request, body) : request;
                        return Outcome.FromResult(await base.SendAsync(attempt, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context, 0).ConfigureAwait(false);
            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    internal static HttpRequestMessage Clone(HttpRequestMessage request, byte[]? body)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var header in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        foreach (var option in request.Options)
        {
            clone.Options.Set(new HttpRequestOptionsKey<object?>(option.Key), option.Value);
        }
        if (body is not null)
        {
            clone.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                clone.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }
        return clone;
    }
}
