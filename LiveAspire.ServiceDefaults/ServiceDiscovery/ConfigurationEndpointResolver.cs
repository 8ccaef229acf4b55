using Microsoft.Extensions.Configuration;

namespace LiveAspire.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves a logical service address (<c>http://api</c>, <c>https+http://api</c>) through configuration in
/// Aspire's convention: <c>services:{name}:{endpoint}:{index}</c>, set by the AppHost as
/// <c>services__api__http__0</c>. Reads configuration on every call so a reloaded value takes effect.
/// </summary>
public sealed class ConfigurationEndpointResolver(IConfiguration configuration)
{
    /// <summary>Returns the concrete base URI for <paramref name="logical"/>, or null when it names no known service.</summary>
    public Uri? Resolve(Uri logical)
    {
        var schemes = logical.Scheme.Split('+', StringSplitOptions.RemoveEmptyEntries);
        var service = logical.Host;
        foreach (var scheme in schemes)
        {
            var section = configuration.GetSection($"services:{service}:{scheme}");
            foreach (var child in section.GetChildren().OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                if (Uri.TryCreate(child.Value, UriKind.Absolute, out var target))
                {
                    return target;
                }
            }
        }
        return null;
    }
}
