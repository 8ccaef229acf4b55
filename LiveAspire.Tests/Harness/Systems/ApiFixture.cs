using LiveAspire.AppHost;
using LiveAspire.AppHost.Local;
using LiveAspire.AppHost.Stores;
using Npgsql;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// Api with its real dependencies (Redis, PostgreSQL with livedb, the generated signing key pair), as the AppHost
/// wires it, plus a subscriber on the revocation channel that is listening before any test runs.
/// </summary>
public sealed class ApiFixture(Xunit.Abstractions.IMessageSink diagnostics) : PartialSystemFixture(diagnostics), IAsyncLifetime
{
    /// <summary>The first admin's password; also a log canary.</summary>
    public const string AdminPassword = "initial-admin-canary-5c1e0b7d";

    /// <summary>
    /// Requests allowed per client address and window on each per-address limit (login, register, password reset,
    /// refresh, overlay-token exchange, guest token): raised so the suite never trips them. The per-account reset budget keeps its
    /// default (3 an hour): every test resets its own account.
    /// </summary>
    public const int RateLimitPermits = 100;

    public RevocationListener Revocations { get; } = new();

    protected override void Define(IDistributedApplicationBuilder builder, LocalEnvironment local)
    {
        var redis = builder.AddRedisStore("redis", local);
        var livedb = builder.AddPostgresDatabase("postgres", "livedb", local);
        var (signingKey, publicKey) = builder.AddSigningKeyPair("jwt-signing-key", local);
        builder.AddService<Projects.LiveAspire_Api>("api", local)
            .WithReference(livedb).WithReference(redis)
            .WaitFor(livedb).WaitFor(redis)
            .WithEnvironment("Auth__SigningKeyPem", signingKey)
            .WithEnvironment("Auth__PublicKeyPem", publicKey)
            .WithEnvironment("Auth__InitialAdminPassword", AdminPassword)
            .WithEnvironment("RateLimits__Login__PermitLimit", RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RateLimits__Register__PermitLimit", RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RateLimits__PasswordReset__PermitLimit", RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture))
            // A minute, like the others, instead of an hour: the whole suite's resets from 127.0.0.1 share one budget.
            .WithEnvironment("RateLimits__PasswordReset__Window", "00:01:00")
            .WithEnvironment("RateLimits__Refresh__PermitLimit", RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RateLimits__OverlayToken__PermitLimit", RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RateLimits__GuestToken__PermitLimit", RateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Revocations.StartAsync(ConnectionString("redis"));
    }

    public new async Task DisposeAsync()
    {
        await Revocations.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>
    /// Api's own address, not Aspire's proxy in front of it: through the proxy every request would come from the
    /// proxy's address, and Api's per-client-address limits would count the whole suite as one client.
    /// </summary>
    public Uri ApiUrl => Part("api").Url ?? throw new InvalidOperationException("api has no address of its own yet");

    public HttpClient CreateClient() => new() { BaseAddress = ApiUrl, Timeout = TimeSpan.FromSeconds(30) };

    public string SigningKeyPem => Parameter("jwt-signing-key-private");

    public NpgsqlDataSource CreateDataSource() => NpgsqlDataSource.Create(ConnectionString("livedb"));

    public async Task<long> ScalarAsync(string sql, params object[] values)
    {
        await using var dataSource = CreateDataSource();
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync().WaitAsync(TimeSpan.FromSeconds(30)), System.Globalization.CultureInfo.InvariantCulture);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)] // it starts a system: never beside another
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
