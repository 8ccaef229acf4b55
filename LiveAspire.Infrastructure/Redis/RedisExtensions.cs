using LiveAspire.Infrastructure.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// Registers Aspire's Redis client (<see cref="IConnectionMultiplexer"/>, health check <c>StackExchange.Redis</c>,
    /// command traces) for <c>ConnectionStrings:{connectionName}</c> (StackExchange form, <c>host:port,password=...</c>)
    /// with <see cref="RedisClientDefaults"/>. Checks the string first and throws <see cref="ConfigurationException"/>
    /// naming the key when it is missing or malformed: Aspire would only fail when the multiplexer is first built.
    /// </summary>
    public static TBuilder AddLiveAspireRedisClient<TBuilder>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
    {
        CheckConnectionString(builder.Configuration, connectionName);
        builder.AddRedisClient(connectionName, configureOptions: RedisClientDefaults.Apply);
        return builder;
    }

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
