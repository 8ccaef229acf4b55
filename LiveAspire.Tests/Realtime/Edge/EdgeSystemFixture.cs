using LiveAspire.AppHost.Hosting;
using LiveAspire.Tests.Infrastructure;
using Xunit;

namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>
/// One Realtime process with connection caps low enough to reach, and this host (127.0.0.1) as its known proxy,
/// wired as the AppHost wires Realtime (Redis, livedb migrated by Api, the signing key pair). Its own system: the
/// shared one cannot have a low per-address cap, since every test client there comes from 127.0.0.1. Tests pick
/// their client address from 127.0.0.0/8 (all loopback on Linux): 127.0.0.1 is the proxy, any other a direct client.
/// </summary>
public sealed class EdgeSystemFixture : PartialSystemFixture
{
    /// <summary>Open connections one user may hold (below the address cap, so the two can be told apart).</summary>
    public const int MaxConnectionsPerUser = 3;

    /// <summary>Open connections one client address may hold.</summary>
    public const int MaxConnectionsPerIp = 4;

    /// <summary>The <c>Retry-After</c> of a 429 (not the default, so the test sees the setting is used).</summary>
    public const int RetryAfterSeconds = 7;

    /// <summary>The proxy whose <c>X-Forwarded-For</c> is believed.</summary>
    public const string KnownProxy = "127.0.0.1";

    protected override void Define(IDistributedApplicationBuilder builder)
    {
        var redis = builder.AddRedis("redis");
        var livedb = builder.AddPostgres("postgres").AddDatabase("livedb");
        var (signingKey, publicKey) = builder.AddSigningKeyPair("jwt-signing-key");
        // Api only migrates the schema (the hub reads users' session state from it) and mints nothing here.
        var api = builder.AddProject<Projects.LiveAspire_Api>("api")
            .WithReference(livedb).WithReference(redis)
            .WaitFor(livedb).WaitFor(redis)
            .WithEnvironment("Auth__SigningKeyPem", signingKey)
            .WithEnvironment("Auth__PublicKeyPem", publicKey)
            .WithHttpHealthCheck("/health");
        builder.AddProject<Projects.LiveAspire_Realtime>("realtime")
            .WithReference(livedb).WithReference(redis)
            .WaitFor(api)
            .WithEnvironment("Auth__PublicKeyPem", publicKey)
            .WithEnvironment("Edge__MaxConnectionsPerUser", $"{MaxConnectionsPerUser}")
            .WithEnvironment("Edge__MaxConnectionsPerIp", $"{MaxConnectionsPerIp}")
            .WithEnvironment("Edge__ConnectionRetryAfterSeconds", $"{RetryAfterSeconds}")
            .WithEnvironment("Edge__KnownProxies__0", KnownProxy)
            // Patient with handshakes on a loaded machine: the caps are under test here, not the handshake timeout.
            .WithEnvironment("Edge__HandshakeTimeout", "00:00:30")
            .WithHttpHealthCheck("/health");
    }

    /// <summary>The Realtime process's own address (one replica: no proxy in front of it).</summary>
    public Uri Realtime => Endpoint("realtime");

    public Task<Guid> NewUserAsync() => SystemTokens.NewUserAsync(App);

    public string Mint(Guid user) => SystemTokens.Mint(App, user);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EdgeSystemCollection : ICollectionFixture<EdgeSystemFixture>
{
    public const string Name = "edge-system";
}
