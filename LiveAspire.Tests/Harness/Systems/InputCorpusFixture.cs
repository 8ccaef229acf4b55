using System.Globalization;
using System.Reflection;
using LiveAspire.Api.Accounts;
using LiveAspire.AppHost;
using LiveAspire.AppHost.Local;
using LiveAspire.AppHost.Stores;
using Npgsql;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// Api and one Realtime replica with their real stores, wired as the AppHost wires them, with every rate limit lifted:
/// the input corpus sends thousands of requests and hub calls from one address and one user, and a 429 or a
/// <c>rate_limited</c> would hide the answer under test. Api's limits are found by reflection over
/// <see cref="RateLimitOptions"/>, so a limit added later is lifted here too. Its own system, so that nothing but
/// the corpus writes to its database while the corpus counts rows.
/// </summary>
public sealed class InputCorpusFixture(IMessageSink diagnostics) : PartialSystemFixture(diagnostics)
{
    /// <summary>The first admin's password.</summary>
    public const string AdminPassword = "corpus-admin-password-1";

    private const string Lifted = "1000000";

    protected override void Define(IDistributedApplicationBuilder builder, LocalEnvironment local)
    {
        var redis = builder.AddRedisStore("redis", local);
        var livedb = builder.AddPostgresDatabase("postgres", "livedb", local);
        var (signingKey, publicKey) = builder.AddSigningKeyPair("jwt-signing-key", local);
        var api = builder.AddService<Projects.LiveAspire_Api>("api", local)
            .WithReference(livedb).WithReference(redis)
            .WaitFor(livedb).WaitFor(redis)
            .WithEnvironment("Auth__SigningKeyPem", signingKey)
            .WithEnvironment("Auth__PublicKeyPem", publicKey)
            .WithEnvironment("Auth__InitialAdminPassword", AdminPassword);
        foreach (var (key, value) in LiftedApiRateLimits())
        {
            api.WithEnvironment(key, value);
        }
        builder.AddService<Projects.LiveAspire_Realtime>("realtime", local)
            .WithReference(livedb).WithReference(redis)
            .WaitFor(api)
            .WithEnvironment("Auth__PublicKeyPem", publicKey)
            .WithEnvironment("Edge__InvocationsPerSecond", Lifted)
            .WithEnvironment("Edge__InvocationBurst", Lifted)
            .WithEnvironment("Edge__HandshakeTimeout", "00:00:30");
    }

    /// <summary>
    /// <c>RateLimits__{Name}__PermitLimit</c> for every limit in <see cref="RateLimitOptions"/>, and for limits one level
    /// down (<c>RateLimits__{Name}__{Part}__PermitLimit</c>) where a limit has parts. The corpus test fails on any 429,
    /// so a limit this misses shows up there.
    /// </summary>
    public static IEnumerable<(string Key, string Value)> LiftedApiRateLimits() => Limits(typeof(RateLimitOptions), RateLimitOptions.SectionName, depth: 0);

    private static IEnumerable<(string Key, string Value)> Limits(Type type, string prefix, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{prefix}__{property.Name}";
            if (property.PropertyType.GetProperty(nameof(FixedWindowLimit.PermitLimit)) is not null)
            {
                yield return ($"{key}__{nameof(FixedWindowLimit.PermitLimit)}", Lifted);
            }
            else if (depth == 0 && property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                foreach (var nested in Limits(property.PropertyType, key, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>Api's own address (not Aspire's proxy).</summary>
    public Uri ApiUrl => Part("api").Url ?? throw new InvalidOperationException("api has no address of its own yet");

    /// <summary>The Realtime replica's own address.</summary>
    public Uri Realtime => Replica("realtime", 0);

    public HttpClient CreateClient() => new() { BaseAddress = ApiUrl, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// The exact row count of every table in the public schema, counted in PostgreSQL itself (not an estimate), in
    /// one snapshot.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> RowCountsAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString("livedb"));
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection, transaction))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM public.\"{table}\"", connection, transaction);
            counts[table] = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        return counts;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)] // it starts a system: never beside another
public sealed class InputCorpusCollection : ICollectionFixture<InputCorpusFixture>
{
    public const string Name = "input-corpus";
}
