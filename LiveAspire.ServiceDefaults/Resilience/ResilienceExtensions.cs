using LiveAspire.ServiceDefaults.Resilience;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ResilienceExtensions
{
    /// <summary>
    /// Adds timeouts, retries (idempotent methods only) and a circuit breaker to this HttpClient, or to every client
    /// when called inside <c>ConfigureHttpClientDefaults</c>. Handlers added after this one run once per attempt.
    /// </summary>
    public static IHttpClientBuilder AddLiveAspireResilience(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddSingleton<HttpResiliencePipelines>();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IConfigureOptions<HttpResilienceOptions>, ConfigureHttpResilienceOptions>());

        // Through HttpMessageHandlerBuilder rather than AddHttpMessageHandler: inside ConfigureHttpClientDefaults
        // builder.Name is null, and only the handler builder knows which client (and so which pipeline) this is.
        builder.Services.Configure<HttpClientFactoryOptions>(builder.Name, options =>
            options.HttpMessageHandlerBuilderActions.Add(handlers =>
            {
                var pipelines = handlers.Services.GetRequiredService<HttpResiliencePipelines>();
                handlers.AdditionalHandlers.Add(new ResilienceHandler(pipelines.Get(handlers.Name ?? string.Empty)));
            }));
        return builder;
    }

    /// <summary>Binds <c>Resilience:Http</c> for every client, then <c>Resilience:Http:Clients:{name}</c> over it.</summary>
    private sealed class ConfigureHttpResilienceOptions(IConfiguration configuration) : IConfigureNamedOptions<HttpResilienceOptions>
    {
        public void Configure(string? name, HttpResilienceOptions options)
        {
            var section = configuration.GetSection(HttpResilienceOptions.SectionName);
            section.Bind(options);
            if (!string.IsNullOrEmpty(name))
            {
                section.GetSection($"Clients:{name}").Bind(options);
            }
        }

        public void Configure(HttpResilienceOptions options) => Configure(string.Empty, options);
    }
}
