namespace LiveAspire.AppHost.Hosting;

/// <summary>The Aspire-shaped verbs of the model. Each only records data; the orchestrator and publisher act on it.</summary>
public static class ResourceBuilderExtensions
{
    public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        var password = builder.AddSecretParameter($"{name}-password", generateMinLength: 22);
        var redis = new RedisResource(name, password.Resource);
        redis.Endpoints.Add(new EndpointAnnotation(redis, "tcp", "tcp", "tcp") { TargetPort = 6379, RequestedPort = port });
        return builder.AddResource(redis);
    }

    public static IResourceBuilder<PostgresServerResource> AddPostgres(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        var password = builder.AddSecretParameter($"{name}-password", generateMinLength: 22);
        var postgres = new PostgresServerResource(name, password.Resource);
        postgres.Endpoints.Add(new EndpointAnnotation(postgres, "tcp", "tcp", "tcp") { TargetPort = 5432, RequestedPort = port });
        return builder.AddResource(postgres);
    }

    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
        builder.Resource.Databases.Add(database);
        // A database is usable only once its server is: waiting for it implies waiting for the server.
        database.WaitsFor.Add(builder.Resource);
        return builder.ApplicationBuilder.AddResource(database);
    }

    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var project = new ProjectResource(name, new TProject());
        project.Endpoints.Add(new EndpointAnnotation(project, "http", "http", "http") { TargetPort = 8080 });
        return builder.AddResource(project);
    }

    public static IResourceBuilder<ParameterResource> AddSecretParameter(
        this IDistributedApplicationBuilder builder, string name, int? generateMinLength = null, Func<string>? value = null)
    {
        var secrets = builder.Secrets;
        var parameter = new ParameterResource(name, value ?? (() => secrets.GetOrCreatePassword(name)), secret: true)
        {
            GenerateMinLength = generateMinLength,
        };
        return builder.AddResource(parameter);
    }

    public static IResourceBuilder<ProjectResource> WithReference<TSource>(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<TSource> source)
        where TSource : Resource, IResourceWithConnectionString
    {
        builder.Resource.ConnectionStringReferences.Add(source.Resource);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithReference(
        this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> source)
    {
        builder.Resource.ServiceReferences.Add(source.Resource);
        return builder;
    }

    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path = "/health")
    {
        builder.Resource.HealthCheckPath = path;
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithExternalHttpEndpoints(this IResourceBuilder<ProjectResource> builder)
    {
        foreach (var endpoint in builder.Resource.Endpoints.Where(e => e.Scheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : Resource
    {
        builder.Resource.Environment[name] = ReferenceExpression.Literal(value);
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IValueProvider value)
        where T : Resource
    {
        builder.Resource.Environment[name] = ReferenceExpression.Of(value);
        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : Resource
        => builder.WithEnvironment(name, new ParameterReference(parameter.Resource));
}
