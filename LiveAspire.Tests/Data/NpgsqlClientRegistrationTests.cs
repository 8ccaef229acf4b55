using LiveAspire.Api;
using LiveAspire.Postgres;

namespace LiveAspire.Tests.Data;

/// <summary>
/// How every service registers Aspire's PostgreSQL client (<c>AddLiveAspireNpgsqlDataSource</c>): our start-up checks
/// first, then one pool with one health check, also in Api where EF Core is enriched on the same pool.
/// </summary>
public sealed class NpgsqlClientRegistrationTests
{
    [Theory]
    [InlineData("livedb", null, "is missing")]
    [InlineData("livedb", "Host=127.0.0.1;Password=secret;NoSuchKeyword=1", "is not a valid Npgsql connection string")]
    public void AMissingOrMalformedConnectionStringStopsStartUpNamingTheKey(string name, string? value, string problem)
        => BareHost.AssertConnectionStringRefused(name, value, problem, (builder, key) => builder.AddLiveAspireNpgsqlDataSource(key));

    [Fact]
    public void TheApiChecksItsOnePostgreSqlPoolOnceThoughEfCoreIsEnrichedToo()
    {
        var builder = BareHost.CreateBuilder(new() { ["ConnectionStrings:livedb"] = "Host=127.0.0.1;Port=1;Username=unused;Password=unused;Database=livedb" });

        builder.AddApiDatabase();
        using var host = builder.Build();

        Assert.Equal(["PostgreSql"], host.HealthCheckNames());
    }
}
