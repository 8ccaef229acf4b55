using LiveAspire.Api;
using LiveAspire.Infrastructure.Hosting;
using LiveAspire.Infrastructure.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace LiveAspire.Tests.Infrastructure.Postgres;

/// <summary>How the services register Aspire's Npgsql client: start-up checks first, one pool and one health check.</summary>
public sealed class PostgresClientRegistrationTests
{
    [Theory]
    [InlineData(null, "is missing")]
    [InlineData("", "is missing")]
    [InlineData("Host=127.0.0.1;Password=secret;NoSuchKeyword=1", "is not a valid Npgsql connection string")]
    public void AMissingOrMalformedConnectionStringStopsStartUpNamingTheKey(string? value, string problem)
    {
        var builder = NewBuilder(value);

        var error = Assert.Throws<ConfigurationException>(() => builder.AddLiveAspireNpgsqlDataSource("livedb"));

        Assert.Equal("ConnectionStrings:livedb", error.Key);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheApiChecksItsOnePoolOnceThoughEfCoreIsEnrichedToo()
    {
        var builder = NewBuilder("Host=127.0.0.1;Port=1;Username=unused;Password=unused;Database=livedb");

        builder.AddApiServices();
        using var host = builder.Build();
        var checks = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Equal(["PostgreSql"], checks.Select(c => c.Name));
    }

    private static HostApplicationBuilder NewBuilder(string? connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:livedb"] = connectionString });
        return builder;
    }
}
