namespace LiveAspire.Hosting;

/// <summary>
/// Reads the settings a service cannot run without, in Aspire's conventions, and throws
/// <see cref="ConfigurationException"/> naming the key when one is absent. Checked while the host is being built,
/// so a misconfigured process stops before it reports healthy.
/// </summary>
public static class RequiredConfiguration
{
    /// <summary>Returns <c>ConnectionStrings:{name}</c>, as <c>GetConnectionString</c> does under a real Aspire AppHost.</summary>
    public static string GetRequiredConnectionString(this IConfiguration configuration, string name)
    {
        var value = configuration.GetConnectionString(name);
        return string.IsNullOrWhiteSpace(value)
            ? throw new ConfigurationException($"ConnectionStrings:{name}", "is missing")
            : value;
    }

    /// <summary>Returns the absolute URI in <c>services:{service}:{endpoint}:0</c>, the address Aspire gives a referenced project.</summary>
    public static Uri GetRequiredServiceUri(this IConfiguration configuration, string service, string endpoint = "http")
    {
        var key = $"services:{service}:{endpoint}:0";
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ConfigurationException(key, "is missing");
        }
        return Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new ConfigurationException(key, "is not an absolute URI");
    }
}
