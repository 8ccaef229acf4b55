namespace LiveAspire.AppHost;

public static class ServiceBuilderExtensions
{
    /// <summary>
    /// One of our services: an HTTP endpoint (in run mode on the next port of the block, so addresses stay the same
    /// from run to run), its readiness probe, its environment name, and forwarded headers off (Aspire would make every
    /// project believe <c>X-Forwarded-For</c> from any caller; only configured proxies are believed).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(this IDistributedApplicationBuilder builder, string name, LocalEnvironment? local)
        where TProject : IProjectMetadata, new()
        => builder.AddProject<TProject>(name, launchProfileName: null)
            .WithHttpEndpoint(port: local?.Ports.Next(name), name: "http")
            .WithHttpHealthCheck("/health")
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("DOTNET_ENVIRONMENT", builder.Environment.EnvironmentName)
            .DisableForwardedHeaders()
            // Aspire turns the query-string redaction of request spans off for local runs; a browser's hub request
            // carries its access token there (docs/realtime.md), and spans go to the dashboard.
            .WithEnvironment("OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION", "false")
            .WithEnvironment("OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION", "false");
}
