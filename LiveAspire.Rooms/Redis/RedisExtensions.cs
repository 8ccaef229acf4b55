using LiveAspire.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Hosting;

namespace LiveAspire.Rooms.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// Registers Aspire's Redis client (<see cref="IConnectionMultiplexer"/>, health check <c>StackExchange.Redis</c>,
    /// command traces) for <c>ConnectionStrings:{connectionName}</c> (StackExchange form, <c>host:port,password=...</c>)
    /// with <see cref="RedisClientDefaults"/>. Checks the string first and throws <see cref="ConfigurationException"/>
    /// naming the key when it is missing or malformed: Aspire would only fail when the multiplexer is first built.
    /// </summary>
    /// <param name="traceCommands">
    /// Whether a span per Redis command is recorded unless configuration says otherwise
    /// (<c>Aspire:StackExchange:Redis:DisableTracing</c> wins either way). Realtime passes false: see docs/realtime.md,
    /// "Redis commands in traces".
    /// </param>
    public static TBuilder AddLiveAspireRedisClient<TBuilder>(this TBuilder builder, string connectionName, bool traceCommands = true)
        where TBuilder : IHostApplicationBuilder
    {
        CheckConnectionString(builder.Configuration, connectionName);
        if (!traceCommands)
        {
            // Under every other source, so an operator's setting still turns the spans back on.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?> { [$"{AspireSection}:DisableTracing"] = "true" },
            });
        }
        builder.AddRedisClient(connectionName, configureOptions: RedisClientDefaults.Apply);
        return builder;
    }

    /// <summary>Aspire.StackExchange.Redis' configuration section.</summary>
    private const string AspireSection = "Aspire:StackExchange:Redis";

    private static void CheckConnectionString(IConfiguration configuration, string connectionName)
    {
        var key = $"ConnectionStrings:{connectionName}";
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration.GetRequiredConnectionString(connectionName));
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException(key, $"is not a valid Redis connection string: {ex.Message}", ex);
        }
        if (options.EndPoints.Count == 0)
        {
            throw new ConfigurationException(key, "names no Redis endpoint");
        }
    }
}
