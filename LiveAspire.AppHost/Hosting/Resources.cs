namespace LiveAspire.AppHost.Hosting;

/// <summary>A named part of the distributed application. The model is plain data: tests and publishers read it.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = name;

    /// <summary>Manifest/dashboard kind: <c>redis</c>, <c>postgres</c>, <c>project</c>...</summary>
    public abstract string Kind { get; }

    public List<EndpointAnnotation> Endpoints { get; } = [];

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Environment variables set by <c>WithEnvironment</c>: name → expression.</summary>
    public Dictionary<string, ReferenceExpression> Environment { get; } = new(StringComparer.Ordinal);

    public EndpointAnnotation GetEndpoint(string name)
        => Endpoints.FirstOrDefault(e => e.Name == name)
           ?? throw new InvalidOperationException($"Resource '{Name}' has no endpoint named '{name}'.");

    public override string ToString() => Name;
}

/// <summary>A resource whose consumers receive <c>ConnectionStrings__{name}</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }
    ReferenceExpression ConnectionStringExpression { get; }
}

/// <summary>A value supplied at run or deploy time (a generated secret, a key). Never written into the model's output in clear.</summary>
public sealed class ParameterResource(string name, Func<string> value, bool secret) : Resource(name)
{
    public override string Kind => "parameter";
    public bool Secret { get; } = secret;
    private readonly Lazy<string> _value = new(value);
    public string Value => _value.Value;

    /// <summary>For the manifest: how a deployment tool should make the value when none is given.</summary>
    public int? GenerateMinLength { get; init; }
}

public sealed class RedisResource(string name, ParameterResource password) : Resource(name), IResourceWithConnectionString
{
    public override string Kind => "redis";
    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{GetEndpoint("tcp").Property(EndpointProperty.Host)}:{GetEndpoint("tcp").Property(EndpointProperty.Port)},password={Password}");
}

public sealed class PostgresServerResource(string name, ParameterResource password) : Resource(name), IResourceWithConnectionString
{
    public override string Kind => "postgres";
    public const string UserName = "postgres";
    public ParameterResource Password { get; } = password;
    public List<PostgresDatabaseResource> Databases { get; } = [];

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={GetEndpoint("tcp").Property(EndpointProperty.Host)};Port={GetEndpoint("tcp").Property(EndpointProperty.Port)};Username={UserName};Password={Password}");
}

public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
    : Resource(name), IResourceWithConnectionString
{
    public override string Kind => "postgres.database";
    public string DatabaseName { get; } = databaseName;
    public PostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{new ConnectionStringReference(Parent)};Database={DatabaseName}");
}

public sealed class ProjectResource(string name, IProjectMetadata metadata) : Resource(name)
{
    public override string Kind => "project";
    public IProjectMetadata Metadata { get; } = metadata;
    public int Replicas { get; set; } = 1;
    public string? HealthCheckPath { get; set; }

    /// <summary>Connection strings this project receives as <c>ConnectionStrings__{name}</c>.</summary>
    public List<IResourceWithConnectionString> ConnectionStringReferences { get; } = [];

    /// <summary>Projects whose endpoints this project receives as <c>services__{name}__{endpoint}__0</c>.</summary>
    public List<ProjectResource> ServiceReferences { get; } = [];
}
