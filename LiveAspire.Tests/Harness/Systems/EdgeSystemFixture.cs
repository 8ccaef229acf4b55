using LiveAspire.AppHost;
using LiveAspire.AppHost.Local;
using LiveAspire.AppHost.Stores;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// One Realtime replica with connection caps low enough to reach, and this host (127.0.0.1) as its known proxy,
/// wired from the AppHost's own resource builders as the AppHost wires Realtime (Redis, livedb migrated by Api, the
/// signing key pair). Its own system: the shared one cannot have a low per-address cap, since every test client there
/// comes from 127.0.0.1. Tests pick their client address from 127.0.0.0/8 (all loopback on Linux): 127.0.0.1 is the
/// proxy, any other a direct client. They talk to the replica's own address, never through Aspire's proxy (whose
/// connections would all come from 127.0.0.1, the known proxy, without an <c>X-Forwarded-For</c>).
/// </summary>
public sealed class EdgeSystemFixture(IMessageSink diagnostics) : PartialSystemFixture(diagnostics)
{
    /// <summary>Open connections one user may hold (below the address cap, so the two can be told apart).</summary>
    public const int MaxConnectionsPerUser = 3;

    /// <summary>Open connections one client address may hold.</summary>
    public const int MaxConnectionsPerIp = 4;

    /// <summary>The <c>Retry-After</c> of a 429 (not the default, so the test sees the setting is used).</summary>
    public const int RetryAfterSeconds = 7;

    /// <summary>The proxy whose <c>X-Forwarded-For</c> is believed.</summary>
    public const string KnownProxy = "127.0.0.1";

    protected override void Define(IDistributedApplicationBuilder builder, LocalEnvironment local)
    {
        var redis = builder.AddRedisStore("redis", local);
        var livedb = builder.AddPostgresDatabase("postgres", "livedb", local);
        var (signingKey, publicKey) = builder.AddSigningKeyPair("jwt-signing-key", local);
        // Api only migrates the schema (the hub reads users' session state from it) and mints nothing here.
        var api = builder.AddService<Projects.LiveAspire_Api>("api", local)
            .WithReference(livedb).WithReference(redis)
            .WaitFor(livedb).WaitFor(redis)
            .WithEnvironment("Auth__SigningKeyPem", signingKey)
            .WithEnvironment("Auth__PublicKeyPem", publicKey);
        builder.AddService<Projects.LiveAspire_Realtime>("realtime", local)
            .WithReference(livedb).WithReference(redis)
            .WaitFor(api)
            .WithEnvironment("Auth__PublicKeyPem", publicKey)
            .WithEnvironment("Edge__MaxConnectionsPerUser", Text(MaxConnectionsPerUser))
            .WithEnvironment("Edge__MaxConnectionsPerIp", Text(MaxConnectionsPerIp))
            .WithEnvironment("Edge__ConnectionRetryAfterSeconds", Text(RetryAfterSeconds))
            .WithEnvironment("Edge__KnownProxies__0", KnownProxy)
            // Patient with handshakes on a loaded machine: the caps are under test here, not the handshake timeout.
            .WithEnvironment("Edge__HandshakeTimeout", "00:00:30");
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The Realtime replica's own address (not Aspire's proxy: the peer address is under test).</summary>
    public Uri Realtime => Replica("realtime", 0);

    public Task<Guid> NewUserAsync() => SystemTokens.NewUserAsync(this);

    public string Mint(Guid user) => SystemTokens.Mint(this, user);
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EdgeSystemCollection : ICollectionFixture<EdgeSystemFixture>
{
    public const string Name = "edge-system";
}
