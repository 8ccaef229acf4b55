using System.Text.Json;
using LiveAspire.Tests.Infrastructure;
using Xunit;

namespace LiveAspire.Tests.AppHost;

/// <summary><c>--publisher manifest</c> writes an Aspire 8 manifest that satisfies the public schema.</summary>
public sealed class ManifestTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"liveaspire-manifest-{Guid.NewGuid():N}");
    private const string RedisCanary = "canary-redis-password-5f1e";
    private const string PostgresCanary = "canary-postgres-password-77aa";
    private JsonElement _manifest;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(_folder, "aspire-manifest.json");
        // Secrets the AppHost would reuse if it read them: the manifest must carry expressions, never values.
        var secrets = Directory.CreateDirectory(Path.Combine(_folder, "state", "secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "redis-password"), RedisCanary);
        await File.WriteAllTextAsync(Path.Combine(secrets, "postgres-password"), PostgresCanary);
        await using var host = AppHostProcess.Start("--publisher", "manifest", "--output-path", path, "--state-dir", Path.Combine(_folder, "state"));
        var code = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"publisher exited with {code}: {host.StandardError}");
        _manifest = JsonDocument.Parse(await File.ReadAllTextAsync(path)).RootElement.Clone();
    }

    public Task DisposeAsync()
    {
        TestSystems.TryDelete(_folder);
        return Task.CompletedTask;
    }

    private static JsonSchemaValidator Schema()
    {
        var text = File.ReadAllText(Path.Combine(AppHostProcess.RepositoryRoot, "LiveAspire.Tests", "AppHost", "Schemas", "aspire-8.0.json"));
        return new JsonSchemaValidator(JsonDocument.Parse(text).RootElement.Clone());
    }

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
    public void ResourcesHaveTheAspireTypesAndExpressions()
    {
        var resources = _manifest.GetProperty("resources");
        string Type(string name) => resources.GetProperty(name).GetProperty("type").GetString()!;

        Assert.Equal("container.v0", Type("redis"));
        Assert.Equal("container.v0", Type("postgres"));
        Assert.Equal("value.v0", Type("livedb"));
        Assert.Equal("parameter.v0", Type("redis-password"));
        Assert.Equal("parameter.v0", Type("postgres-password"));
        Assert.Equal("parameter.v0", Type("jwt-signing-key-private"));
        foreach (var project in new[] { "api", "realtime", "worker", "web" })
        {
            Assert.Equal("project.v0", Type(project));
            var path = resources.GetProperty(project).GetProperty("path").GetString()!;
            Assert.True(File.Exists(Path.Combine(_folder, path)), $"{project} path {path} does not point at its project");
        }
        Assert.False(string.IsNullOrEmpty(resources.GetProperty("redis").GetProperty("image").GetString()));
        Assert.Equal("{postgres.connectionString};Database=livedb", resources.GetProperty("livedb").GetProperty("connectionString").GetString());
        Assert.True(resources.GetProperty("redis-password").GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());

        var apiEnv = resources.GetProperty("api").GetProperty("env");
        Assert.Equal("{livedb.connectionString}", apiEnv.GetProperty("ConnectionStrings__livedb").GetString());
        Assert.Equal("{redis.connectionString}", apiEnv.GetProperty("ConnectionStrings__redis").GetString());
        Assert.Equal("{jwt-signing-key-private.value}", apiEnv.GetProperty("Auth__SigningKeyPem").GetString());
        var webEnv = resources.GetProperty("web").GetProperty("env");
        Assert.Equal("{realtime.bindings.http.url}", webEnv.GetProperty("services__realtime__http__0").GetString());
        Assert.True(resources.GetProperty("web").GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
    }

    [Fact]
    public void ManifestHoldsNoSecretValue()
    {
        var text = _manifest.GetRawText();

        Assert.DoesNotContain(RedisCanary, text, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresCanary, text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
    }
}
