namespace LiveAspire.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Rewrites requests for a logical service (<c>http://api/...</c>) to the address configuration gives it.
/// Requests for hosts that are not services (anything with a dot or a port, or with no configured endpoint)
/// pass through unchanged.
/// </summary>
public sealed class ServiceDiscoveryHandler(ConfigurationEndpointResolver resolver) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri && uri.IsDefaultPort && !uri.Host.Contains('.')
            && resolver.Resolve(uri) is { } target)
        {
            var builder = new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port };
            request.RequestUri = builder.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
