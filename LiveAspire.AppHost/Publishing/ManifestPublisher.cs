using System.Text.Json;
using System.Text.Json.Nodes;
using LiveAspire.AppHost.Hosting;

namespace LiveAspire.AppHost.Publishing;

/// <summary>
/// Writes the model as an Aspire 8 deployment manifest (schema: aspire-8.0.json): Redis and PostgreSQL become
/// <c>container.v0</c>, databases <c>value.v0</c>, secrets <c>parameter.v0</c>, projects <c>project.v0</c> with
/// env and bindings in <c>{resource.bindings.http.url}</c>-style expressions. Replica counts have no place in the
/// schema: docs/deploy.md says how to set them at deploy time.
/// </summary>
public static class ManifestPublisher
{
    public const string SchemaUrl = "https://json.schemastore.org/aspire-8.0.json";

    public static void Write(DistributedApplication app, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var manifest = Build(app.Resources, app.Options.RepositoryRoot!, Path.GetDirectoryName(full)!);
        File.WriteAllText(full, manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static JsonObject Build(IReadOnlyList<Resource> resources, string repositoryRoot, string manifestDirectory)
    {
        var entries = new JsonObject();
        foreach (var resource in resources)
        {
            entries[resource.Name] = resource switch
            {
                ParameterResource p => Parameter(p),
                RedisResource r => Redis(r),
                PostgresServerResource p => Postgres(p),
                PostgresDatabaseResource d => new JsonObject
                {
                    ["type"] = "value.v0",
                    ["connectionString"] = d.ConnectionStringExpression.ManifestExpression,
                },
                ProjectResource p => Project(p, repositoryRoot, manifestDirectory),
                _ => throw new NotSupportedException($"No manifest form for {resource.GetType().Name}."),
            };
        }
        return new JsonObject { ["$schema"] = SchemaUrl, ["resources"] = entries };
    }

    private static JsonObject Parameter(ParameterResource p)
    {
        var input = new JsonObject { ["type"] = "string", ["secret"] = p.Secret };
        if (p.GenerateMinLength is { } min)
        {
            input["default"] = new JsonObject { ["generate"] = new JsonObject { ["minLength"] = min } };
        }
        return new JsonObject
        {
            ["type"] = "parameter.v0",
            ["value"] = $"{{{p.Name}.inputs.value}}",
            ["inputs"] = new JsonObject { ["value"] = input },
        };
    }

    private static JsonObject Redis(RedisResource r) => new()
    {
        ["type"] = "container.v0",
        ["connectionString"] = r.ConnectionStringExpression.ManifestExpression,
        ["image"] = "docker.io/library/redis:7.0",
        // The password reaches redis-server through a config file, not its command line (which `ps` shows).
        ["entrypoint"] = "/bin/sh",
        ["args"] = new JsonArray("-c",
            "printf 'requirepass %s\\n' \"$REDIS_PASSWORD\" > /tmp/redis.conf && exec redis-server /tmp/redis.conf --appendonly yes --dir /data"),
        ["env"] = new JsonObject { ["REDIS_PASSWORD"] = new ParameterReference(r.Password).ManifestExpression },
        ["bindings"] = Bindings(r),
        ["volumes"] = new JsonArray(new JsonObject { ["name"] = $"liveaspire-{r.Name}-data", ["target"] = "/data", ["readOnly"] = false }),
    };

    private static JsonObject Postgres(PostgresServerResource p) => new()
    {
        ["type"] = "container.v0",
        ["connectionString"] = p.ConnectionStringExpression.ManifestExpression,
        ["image"] = "docker.io/library/postgres:15",
        ["env"] = new JsonObject
        {
            ["POSTGRES_HOST_AUTH_METHOD"] = "scram-sha-256",
            ["POSTGRES_INITDB_ARGS"] = "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
            ["POSTGRES_USER"] = PostgresServerResource.UserName,
            ["POSTGRES_PASSWORD"] = new ParameterReference(p.Password).ManifestExpression,
        },
        ["bindings"] = Bindings(p),
        ["volumes"] = new JsonArray(new JsonObject
        {
            ["name"] = $"liveaspire-{p.Name}-data", ["target"] = "/var/lib/postgresql/data", ["readOnly"] = false,
        }),
    };

    private static JsonObject Project(ProjectResource p, string repositoryRoot, string manifestDirectory)
    {
        var env = new JsonObject
        {
            ["OTEL_SERVICE_NAME"] = p.Name,
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["HTTP_PORTS"] = p.GetEndpoint("http").Property(EndpointProperty.TargetPort).ManifestExpression,
        };
        foreach (var source in p.ConnectionStringReferences)
        {
            env[$"ConnectionStrings__{source.Name}"] = new ConnectionStringReference(source).ManifestExpression;
        }
        foreach (var service in p.ServiceReferences)
        {
            foreach (var endpoint in service.Endpoints)
            {
                env[$"services__{service.Name}__{endpoint.Name}__0"] = endpoint.Property(EndpointProperty.Url).ManifestExpression;
            }
        }
        foreach (var (key, value) in p.Environment)
        {
            env[key] = value.ManifestExpression;
        }
        var projectPath = Path.GetRelativePath(manifestDirectory, Path.Combine(repositoryRoot, p.Metadata.ProjectPath));
        return new JsonObject
        {
            ["type"] = "project.v0",
            ["path"] = projectPath.Replace('\\', '/'),
            ["env"] = env,
            ["bindings"] = Bindings(p),
        };
    }

    private static JsonObject Bindings(Resource resource)
    {
        var bindings = new JsonObject();
        foreach (var e in resource.Endpoints)
        {
            var binding = new JsonObject { ["scheme"] = e.Scheme, ["protocol"] = "tcp", ["transport"] = e.Transport };
            if (e.IsExternal)
            {
                binding["external"] = true;
            }
            if (e.TargetPort is { } target)
            {
                binding["targetPort"] = target;
            }
            bindings[e.Name] = binding;
        }
        return bindings;
    }
}
