using LiveAspire.ServiceDefaults.ServiceDiscovery;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServiceDiscoveryExtensions
{
    /// <summary>Registers configuration-based service discovery (Aspire's <c>services__{name}__{endpoint}__{index}</c>).</summary>
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        services.AddSingleton<ConfigurationEndpointResolver>();
        services.AddTransient<ServiceDiscoveryHandler>();
        return services;
    }

    /// <summary>Lets this HttpClient use logical addresses such as <c>http://api</c>.</summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder)
        => builder.AddHttpMessageHandler<ServiceDiscoveryHandler>();
}
