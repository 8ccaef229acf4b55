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

    /// <summary>The start of the one command Aspire's Redis container runs (<c>/bin/sh -c "..."</c>).</summary>
    private const string AspireRedisCommand = "redis-server --requirepass $REDIS_PASSWORD";

    /// <summary>
    /// As locally: the password in configuration, not on redis-server's command line (Aspire puts it there, where
    /// <c>ps</c> shows it), and the append-only file on, so an acknowledged publish is on disk within a second. The
    /// shell hands the configuration to <c>redis-server -</c> through a here-document and execs it, so Redis stays
    /// the container's first process and gets its stop signal. Aspire's own options (<c>--save</c>) follow.
    /// </summary>
    private static void AppendOnly(CommandLineArgsCallbackContext context)
    {
        var shell = context.Args.IndexOf("-c");
        if (shell < 0 || shell + 1 >= context.Args.Count || context.Args[shell + 1] is not string command
            || !command.StartsWith(AspireRedisCommand, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Aspire's Redis container command is no longer '{AspireRedisCommand} ...'; revisit StoreBuilderExtensions.AppendOnly");
        }
        context.Args[shell + 1] = $"exec redis-server -{command[AspireRedisCommand.Length..]} --appendonly yes --appendfsync everysec <<EOF\nrequirepass $REDIS_PASSWORD\nEOF\n";
    }
}
