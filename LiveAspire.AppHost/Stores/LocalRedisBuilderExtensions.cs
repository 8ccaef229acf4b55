using Microsoft.Extensions.DependencyInjection;

namespace LiveAspire.AppHost.Stores;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// Redis as an executable on a fixed loopback port that is not proxied (a proxy hop on every command costs
    /// throughput, and load tests need the ports above 32768 for their own sockets), with a health check.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name, LocalEnvironment local)
    {
        var password = builder.AddParameter($"{name}-password", secret: true);
        builder.Configuration[$"Parameters:{password.Resource.Name}"] = local.Secrets.GetOrCreatePassword(password.Resource.Name);
        var folder = local.FolderFor(name);
        var configPath = Path.Combine(folder, "redis.conf");
        var port = local.Ports.Next(name);
        var redis = new LocalRedisResource(name, local.Settings.RedisServerPath, folder, password.Resource);

        if (!File.Exists(local.Settings.RedisServerPath))
        {
            throw new StartupException(
                $"redis-server not found at {local.Settings.RedisServerPath}; run ./run.sh (it installs it) or apt-get install -y redis-server, or set AppHost:RedisServerPath");
        }
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(redis, async (_, cancellationToken) =>
            WriteConfig(configPath, port, Path.Combine(folder, "data"), await password.Resource.GetValueAsync(cancellationToken)));

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, cancellationToken) =>
            connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException($"{name}'s connection string is not known yet"), name: healthCheck);

        return builder.AddResource(redis)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalRedisResource.EndpointName, isProxied: false)
            .WithArgs(configPath)
            .WithHealthCheck(healthCheck);
    }

    /// <summary>Written on every start (the port and password live in it), mode 600 before anything is written.</summary>
    private static void WriteConfig(string path, int port, string dataDirectory, string? password)
    {
        Directory.CreateDirectory(dataDirectory);
        var config = string.Join('\n',
            "# Written by the LiveAspire AppHost on every start; edits are overwritten.",
            "bind 127.0.0.1",
            $"port {port}",
            "protected-mode yes",
            $"requirepass {password}",
            "appendonly yes",
            "appendfsync everysec",
            $"dir {dataDirectory}",
            "daemonize no",
            "logfile \"\"",
            "save 300 1",
            "");
        File.Delete(path);
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(config);
    }
}
