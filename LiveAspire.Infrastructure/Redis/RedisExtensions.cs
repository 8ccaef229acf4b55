using LiveAspire.Infrastructure.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Redis;

public static class RedisExtensions
{
    /// <summary>
    /// Registers <see cref="IRedisConnection"/> for <c>ConnectionStrings:{connectionName}</c> (StackExchange form,
    /// <c>host:port,password=...</c>) and a health check of the same name, like Aspire's <c>AddRedisClient</c>.
    /// Fails fast with <see cref="ConfigurationException"/> if the string is missing or malformed.
    /// </summary>
    public static TBuilder AddRedisClient<TBuilder>(this TBuilder builder, string connectionName)
        where TBuilder : IHostApplicationBuilder
    {
        var connectionString = builder.Configuration.GetRequiredConnectionString(connectionName);
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ConfigurationException($"ConnectionStrings:{connectionName}", $"is not a valid Redis connection string: {ex.Message}", ex);
        }
        if (options.EndPoints.Count == 0)
        {
            throw new ConfigurationException($"ConnectionStrings:{connectionName}", "names no Redis endpoint");
        }

        // abortConnect=false whatever the string says: the process must start while Redis is down and reconnect by
        // itself after a Redis restart, instead of failing for good on the first refused connect.
        options.AbortOnConnectFail = false;

        // A factory, not an instance, so the container disposes (closes) the connection on shutdown.
        builder.Services.AddSingleton<IRedisConnection>(_ => new RedisConnection(options));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName);
        return builder;
    }
}
