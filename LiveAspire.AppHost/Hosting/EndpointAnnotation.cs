namespace LiveAspire.AppHost.Hosting;

public enum EndpointProperty { Url, Host, Port, TargetPort }

/// <summary>
/// A network endpoint of a resource. <see cref="Port"/> is where consumers connect (the proxy for a replicated
/// project); replicas listen on their own <see cref="ReplicaPorts"/>. Ports are assigned once per run and kept
/// across restarts so consumers never hold a stale address.
/// </summary>
public sealed class EndpointAnnotation(Resource owner, string name, string scheme, string transport)
{
    public Resource Owner { get; } = owner;
    public string Name { get; } = name;
    public string Scheme { get; } = scheme;
    public string Transport { get; } = transport;
    public bool IsExternal { get; set; }

    /// <summary>The port the service listens on inside its container at deploy time (manifest only).</summary>
    public int? TargetPort { get; set; }

    /// <summary>A fixed port requested by configuration; null means one from the port block.</summary>
    public int? RequestedPort { get; set; }

    public string Host { get; } = "127.0.0.1";
    public int? Port { get; set; }
    public List<int> ReplicaPorts { get; } = [];

    public bool IsAllocated => Port is not null;
    public string Url => $"{Scheme}://{Host}:{RequirePort()}";

    public int RequirePort() => Port ?? throw new InvalidOperationException(
        $"Endpoint '{Owner.Name}.{Name}' has no port yet: the application has not been started.");

    public EndpointReference Property(EndpointProperty property) => new(this, property);
}

/// <summary>A value that resolves at run time to part of an endpoint and at publish time to a manifest expression.</summary>
public sealed record EndpointReference(EndpointAnnotation Endpoint, EndpointProperty Property) : IValueProvider
{
    public string GetValue() => Property switch
    {
        EndpointProperty.Url => Endpoint.Url,
        EndpointProperty.Host => Endpoint.Host,
        EndpointProperty.Port => Endpoint.RequirePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        EndpointProperty.TargetPort => Endpoint.RequirePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(Property)),
    };

    public string ManifestExpression =>
        $"{{{Endpoint.Owner.Name}.bindings.{Endpoint.Name}.{Property switch
        {
            EndpointProperty.Url => "url",
            EndpointProperty.Host => "host",
            EndpointProperty.Port => "port",
            _ => "targetPort",
        }}}}";
}
