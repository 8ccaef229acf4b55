using System.Security.Cryptography;
using LiveAspire.Contracts.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LiveAspire.Tests.Harness;

/// <summary>
/// Mints access tokens with the running system's own signing key (the AppHost's generated secret), exactly as
/// Api does. For tests that need a token without going through login.
/// </summary>
public static class SystemTokens
{
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ECDsaSecurityKey> Keys = new();

    /// <summary>Creates real users in the system's database (the hub and Api check that a token's user exists and is
    /// not revoked) with the seeding code Api uses, and returns their ids.</summary>
    public static async Task<IReadOnlyList<Guid>> NewUsersAsync(SystemFixture system, int count = 1)
        => [.. (await NewSeededUsersAsync(system, count)).Select(u => u.UserId)];

    /// <summary>As <see cref="NewUsersAsync"/>, with each user's name (they sign in with <c>UserSeeder.DefaultPassword</c>).</summary>
    public static async Task<IReadOnlyList<LiveAspire.Api.Seeding.SeededUser>> NewSeededUsersAsync(SystemFixture system, int count = 1)
    {
        var connectionString = system.ConnectionString("livedb");
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
        var pem = system.Parameter("jwt-signing-key-private");
        var issuer = new LiveAspire.Api.Accounts.AccessTokenIssuer(pem, TimeSpan.FromMinutes(15));
        // Usernames are at most 32 characters: a short random prefix keeps seeded names unique across tests.
        var prefix = $"t{Guid.NewGuid():N}"[..12];
        return await LiveAspire.Api.Seeding.UserSeeder.SeedAsync(dataSource, issuer, count, prefix);
    }

    public static async Task<Guid> NewUserAsync(SystemFixture system) => (await NewUsersAsync(system))[0];

    public static string Mint(SystemFixture system, Guid userId, int sessionVersion = 1, string role = GlobalRoles.User,
        TimeSpan? lifetime = null)
    {
        var pem = system.Parameter("jwt-signing-key-private");
        // One key object per PEM, kept alive: the token handler caches signature providers by key, and a disposed
        // key in that cache breaks every later token.
        var key = Keys.GetOrAdd(pem, p =>
        {
            var k = ECDsa.Create();
            k.ImportFromPem(p);
            return new ECDsaSecurityKey(k);
        });
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(15));
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenClaims.Issuer,
            Audience = TokenClaims.Audience,
            IssuedAt = expires < now ? expires.AddMinutes(-15) : now,
            NotBefore = expires < now ? expires.AddMinutes(-15) : now,
            Expires = expires,
            Claims = new Dictionary<string, object>
            {
                [TokenClaims.Subject] = userId.ToString("D"),
                [TokenClaims.SessionVersion] = sessionVersion,
                [TokenClaims.Role] = role,
                [TokenClaims.Name] = $"user-{userId:N}"[..13],
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
