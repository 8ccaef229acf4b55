using LiveAspire.AppHost.Local;

namespace LiveAspire.AppHost.Stores;

/// <summary>
/// The stores under one name in both modes. Run mode (this machine, no container engine): the Debian binaries as
/// executables with their data and secrets in the state folder. Publish mode: Aspire's container resources with
/// pinned image tags (the versions the local binaries are), data volumes and Redis persistence, so a deployment
/// keeps its data; the manifest carries their passwords as parameters without values.
/// </summary>
public static class StoreBuilderExtensions
{
    /// <summary>Redis 7.0, as Debian 12 ships it.</summary>
    public const string RedisImageTag = "7.0.15";

    /// <summary>PostgreSQL 15, as Debian 12 ships it.</summary>
    public const string PostgresImageTag = "15.18";

    /// <summary>Volume names of the published containers: the same whatever folder the AppHost was published from
    /// (Aspire's default names carry a hash of that path).</summary>
    public const string RedisVolume = "liveaspire-redis-data", PostgresVolume = "liveaspire-postgres-data";

    public static IResourceBuilder<IResourceWithConnectionString> AddRedisStore(this IDistributedApplicationBuilder builder, string name, LocalEnvironment? local)
        => local is null
            ? builder.AddRedis(name).WithImageTag(RedisImageTag).WithDataVolume(RedisVolume).WithPersistence(TimeSpan.FromMinutes(5), 1)
                .WithArgs(AppendOnly)
            : builder.AddLocalRedis(name, local);

    public static IResourceBuilder<IResourceWithConnectionString> AddPostgresDatabase(this IDistributedApplicationBuilder builder,
        string serverName, string databaseName, LocalEnvironment? local)
        => local is null
            ? builder.AddPostgres(serverName).WithImageTag(PostgresImageTag).WithDataVolume(PostgresVolume).AddDatabase(databaseName)
            : builder.AddLocalPostgres(serverName, local).AddLocalDatabase(databaseName);

    /// <summary>
    /// The append-only file, as locally: an acknowledged publish is on disk within a second, not at the next snapshot.
    /// Aspire's container runs <c>/bin/sh -c "redis-server ..."</c> when published; this adds to that one command.
    /// </summary>
    private static void AppendOnly(CommandLineArgsCallbackContext context)
    {
        var shell = context.Args.IndexOf("-c");
        if (shell >= 0 && shell + 1 < context.Args.Count && context.Args[shell + 1] is string command)
        {
            context.Args[shell + 1] = command + " --appendonly yes --appendfsync everysec";
        }
    }
}
