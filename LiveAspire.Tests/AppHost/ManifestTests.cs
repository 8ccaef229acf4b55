using System.Security.Cryptography;
using Aspire.Hosting.Testing;

namespace LiveAspire.Tests.AppHost;

/// <summary>
/// <c>--publisher manifest</c> writes Aspire's manifest (docs/deploy.md): the stores as containers with pinned tags,
/// named volumes and Redis persistence, the projects wired by expressions, every secret a parameter without a value,
/// and the public addresses as parameters. Secret values the AppHost could have read are planted and must not appear.
/// </summary>
public sealed class ManifestTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"liveaspire-manifest-{Guid.NewGuid():N}");
    private readonly Dictionary<string, string> _canaries = new()
    {
        ["redis-password"] = "canary-redis-password-5f1e",
        ["postgres-password"] = "canary-postgres-password-77aa",
        ["initial-admin-password"] = "canary-admin-password-3c9d",
        ["web-client-address-key"] = "canary-web-key-91b0",
    };
    private string _privateKeyBody = "";
    private JsonElement _manifest;

    private static readonly string[] Secrets = ["redis-password", "postgres-password", "jwt-signing-key-private", "initial-admin-password", "web-client-address-key"];
    private static readonly string[] Projects = ["api", "realtime", "worker", "web"];

    public async Task InitializeAsync()
    {
        var path = Path.Combine(_folder, "aspire-manifest.json");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            _canaries["jwt-signing-key-private"] = key.ExportPkcs8PrivateKeyPem();
        }
        _privateKeyBody = _canaries["jwt-signing-key-private"].Split('\n')[1].Trim();

        // Values the AppHost would find if it looked: parameters in its configuration (environment) and generated
        // secrets in a state folder. The manifest must carry expressions, never values.
        var state = Path.Combine(_folder, "state");
        var secrets = Directory.CreateDirectory(Path.Combine(state, "secrets")).FullName;
        var environment = new Dictionary<string, string>();
        foreach (var (name, value) in _canaries)
        {
            environment[$"Parameters__{name}"] = value;
            await File.WriteAllTextAsync(Path.Combine(secrets, name), value);
        }
        await using var host = AppHostProcess.Start(environment, "--publisher", "manifest", "--output-path", path, "--state-dir", state);
        var code = await host.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(code == 0, $"publisher exited with {code}: {host.StandardError}");
        _manifest = JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement.Clone();
    }

    public Task DisposeAsync()
    {
        TestSystems.TryDelete(_folder);
        return Task.CompletedTask;
    }

    private JsonElement Resource(string name) => _manifest.GetProperty("resources").GetProperty(name);

    private static string? Env(JsonElement resource, string name)
        => resource.TryGetProperty("env", out var env) && env.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static JsonSchemaValidator Schema() => new(JsonDocument.Parse(File.ReadAllText(
        Path.Combine(AppHostProcess.RepositoryRoot, "LiveAspire.Tests", "AppHost", "Schemas", "aspire-8.0.json"))).RootElement.Clone());

    [Fact]
    public void ManifestSatisfiesTheAspireSchemaForEveryResource()
    {
        var errors = Schema().Validate(_manifest);

        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public void SchemaValidatorRejectsWhatTheSchemaForbids()
    {
        // Guards the guard: a validator that accepts everything would make the test above meaningless.
        var schema = Schema();
        string[] broken =
        [
            """{"resources":{"api":{"type":"project.v0"}}}""",
            """{"resources":{"api":{"type":"project.v0","path":"a.csproj","bindings":{"http":{"scheme":"http","protocol":"sctp","transport":"http"}}}}}""",
            """{"resources":{"p":{"type":"parameter.v0","value":"{p.inputs.value}","inputs":{"value":{"type":"number"}}}}}""",
            """{"resources":{"redis":{"type":"container.v0","image":"redis","extra":1}}}""",
            """{"resources":{"db":{"type":"value.v0"}}}""",
            """{"resources":{"x":{"type":"project.v0","path":"a.csproj","env":{"A":1}}}}""",
        ];
        foreach (var json in broken)
        {
            Assert.NotEmpty(schema.Validate(JsonDocument.Parse(json).RootElement));
        }
    }

    [Fact]
    public void StoresAreContainersWithPinnedTagsNamedVolumesAndRedisPersistence()
    {
        var redis = Resource("redis");
        var postgres = Resource("postgres");

        Assert.Equal("container.v0", redis.GetProperty("type").GetString());
        Assert.Equal("container.v0", postgres.GetProperty("type").GetString());
        Assert.Equal("docker.io/library/redis:7.0.15", redis.GetProperty("image").GetString());
        Assert.Equal("docker.io/library/postgres:15.18", postgres.GetProperty("image").GetString());
        Assert.Equal(("liveaspire-redis-data", "/data"), Volume(redis));
        Assert.Equal(("liveaspire-postgres-data", "/var/lib/postgresql/data"), Volume(postgres));

        // The password from the environment (an expression here) into redis-server's configuration on its standard
        // input, never onto its command line; Redis the container's first process; snapshots and the append-only file on.
        Assert.Equal("/bin/sh", redis.GetProperty("entrypoint").GetString());
        var command = string.Join(' ', redis.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.StartsWith("-c exec redis-server - ", command, StringComparison.Ordinal);
        Assert.Contains("<<EOF\nrequirepass $REDIS_PASSWORD\nEOF", command, StringComparison.Ordinal);
        Assert.DoesNotContain("--requirepass", command, StringComparison.Ordinal);
        Assert.Contains("--appendonly yes", command, StringComparison.Ordinal);
        Assert.Contains("--appendfsync everysec", command, StringComparison.Ordinal);
        Assert.Contains("--save 300 1", command, StringComparison.Ordinal);
        Assert.Equal("{redis-password.value}", Env(redis, "REDIS_PASSWORD"));
        Assert.Equal("{postgres-password.value}", Env(postgres, "POSTGRES_PASSWORD"));
        Assert.Equal("value.v0", Resource("livedb").GetProperty("type").GetString());
        Assert.Equal("{postgres.connectionString};Database=livedb", Resource("livedb").GetProperty("connectionString").GetString());

        static (string?, string?) Volume(JsonElement container)
        {
            var volume = Assert.Single(container.GetProperty("volumes").EnumerateArray());
            return (volume.GetProperty("name").GetString(), volume.GetProperty("target").GetString());
        }
    }

    [Fact]
    public void EverySecretIsASecretParameterWithoutAValue()
    {
        foreach (var name in Secrets)
        {
            var parameter = Resource(name);
            Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
            Assert.Equal($"{{{name}.inputs.value}}", parameter.GetProperty("value").GetString());
            var input = parameter.GetProperty("inputs").GetProperty("value");
            Assert.True(input.GetProperty("secret").GetBoolean(), $"{name} is not marked secret");
            // A default may ask the deployment tool to generate a value; it never carries one.
            Assert.False(input.TryGetProperty("default", out var d) && d.TryGetProperty("value", out _), $"{name} carries a default value");
        }
        // The public half of the key pair is a parameter too, not secret.
        Assert.Equal("parameter.v0", Resource("jwt-signing-key-public").GetProperty("type").GetString());
    }

    [Fact]
    public void ManifestHoldsNoSecretValue()
    {
        var text = _manifest.GetRawText();

        foreach (var (name, value) in _canaries)
        {
            Assert.False(text.Contains(value, StringComparison.Ordinal), $"the planted value of {name} is in the manifest");
        }
        Assert.DoesNotContain(_privateKeyBody, text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectsAreWiredByExpressionsAndSecretsReachOnlyWhoNeedsThem()
    {
        foreach (var project in Projects)
        {
            var resource = Resource(project);
            Assert.Equal("project.v0", resource.GetProperty("type").GetString());
            var path = resource.GetProperty("path").GetString()!;
            Assert.True(File.Exists(Path.Combine(_folder, path)), $"{project} path {path} does not point at its project");
            Assert.Equal($"{{{project}.bindings.http.targetPort}}", Env(resource, "HTTP_PORTS"));
            if (project != "worker")
            {
                Assert.Equal("{jwt-signing-key-public.value}", Env(resource, "Auth__PublicKeyPem"));
            }
        }
        var api = Resource("api");
        Assert.Equal("{livedb.connectionString}", Env(api, "ConnectionStrings__livedb"));
        Assert.Equal("{redis.connectionString}", Env(api, "ConnectionStrings__redis"));
        Assert.Equal("{jwt-signing-key-private.value}", Env(api, "Auth__SigningKeyPem"));
        Assert.Equal("{initial-admin-password.value}", Env(api, "Auth__InitialAdminPassword"));
        // Only the issuer holds the private key; only Api creates the first admin.
        foreach (var project in Projects.Where(p => p != "api"))
        {
            Assert.Null(Env(Resource(project), "Auth__SigningKeyPem"));
            Assert.Null(Env(Resource(project), "Auth__InitialAdminPassword"));
        }
        // Api believes the browser address Web forwards only with this key; nobody else holds it.
        Assert.Equal("{web-client-address-key.value}", Env(api, "ClientAddress__WebKey"));
        Assert.Equal("{web-client-address-key.value}", Env(Resource("web"), "ClientAddress__WebKey"));
        Assert.Equal("{livedb.connectionString}", Env(Resource("web"), "ConnectionStrings__livedb"));
        Assert.Null(Env(Resource("realtime"), "ClientAddress__WebKey"));
        Assert.Null(Env(Resource("worker"), "ClientAddress__WebKey"));
        Assert.Equal("{api.bindings.http.url}", Env(Resource("worker"), "services__api__http__0"));
        Assert.True(Resource("web").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.True(Resource("realtime").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
        Assert.False(Resource("worker").GetProperty("bindings").GetProperty("http").TryGetProperty("external", out _));
    }

    [Fact]
    public void BrowsersAreGivenThePublicRealtimeAddressAndRealtimeAllowsThePublicWebOrigin()
    {
        foreach (var name in new[] { "realtime-public-url", "web-public-url" })
        {
            var parameter = Resource(name);
            Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
            Assert.False(parameter.GetProperty("inputs").GetProperty("value").TryGetProperty("secret", out _), $"{name} is an address, not a secret");
        }
        // What Web renders into its pages for the browser (services:realtime:http:0), not an address inside the deployment.
        Assert.Equal("{realtime-public-url.value}", Env(Resource("web"), "services__realtime__http__0"));
        Assert.Equal("{web-public-url.value}", Env(Resource("realtime"), "Edge__AllowedOrigins__0"));
    }

    [Fact]
    public void NoProjectBelievesForwardedHeadersFromAnyCaller()
    {
        // Aspire sets ASPNETCORE_FORWARDEDHEADERS_ENABLED=true on projects, which makes every caller's
        // X-Forwarded-For believed; only Realtime's configured proxies are (Edge:KnownProxies).
        foreach (var project in Projects)
        {
            Assert.Null(Env(Resource(project), "ASPNETCORE_FORWARDEDHEADERS_ENABLED"));
        }
    }

    [Fact]
    public async Task PublishedModelRunsTwoRealtimeTwoWorkerAndTwoWebReplicas()
    {
        // Aspire's manifest format has no field for replica counts (docs/deploy.md); the published model holds them.
        var output = Path.Combine(_folder, "model-manifest.json");
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.LiveAspire_AppHost>(
            ["--publisher", "manifest", "--output-path", output]);

        Assert.True(builder.ExecutionContext.IsPublishMode);
        int Replicas(string name) => builder.Resources.Single(r => r.Name == name).TryGetLastAnnotation<ReplicaAnnotation>(out var r) ? r.Replicas : 1;
        Assert.Equal(2, Replicas("realtime"));
        Assert.Equal(2, Replicas("worker")); // the outbox relay's standby
        Assert.Equal(1, Replicas("api"));
        Assert.Equal(2, Replicas("web"));
    }
}
