using LiveAspire.Data.Schema;
using LiveAspire.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LiveAspire.Tests.Data.Schema;

/// <summary>The versioned SQL files against a real PostgreSQL 15, each test on a fresh database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaMigrationTests(PostgresFixture postgres)
{
    private static LiveDbContext Context(string connectionString) =>
        new(new DbContextOptionsBuilder<LiveDbContext>().UseNpgsql(connectionString).Options);

    [Fact]
    public async Task MigratedSchemaMatchesWhatTheEfModelExpects()
    {
        var connectionString = await postgres.CreateDatabaseAsync("schema");
        await new SchemaMigrator().ApplyAsync(connectionString);

        await using var context = Context(connectionString);
        var mismatches = await SchemaVerifier.VerifyAsync(context);

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    [Fact]
    public async Task MigrationsApplyTwiceWithoutHarm()
    {
        var connectionString = await postgres.CreateDatabaseAsync("twice");
        var migrator = new SchemaMigrator();

        var first = await migrator.ApplyAsync(connectionString);
        await using (var context = Context(connectionString))
        {
            context.Channels.Add(new LiveAspire.Api.Channels.Channel { Slug = "kept-channel", DisplayName = "Kept" });
            await context.SaveChangesAsync();
        }
        var second = await migrator.ApplyAsync(connectionString);

        Assert.Equal(migrator.Migrations.Count, first);
        Assert.Equal(0, second);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM schema_migrations", connection);
        Assert.Equal((long)migrator.Migrations.Count, (long)(await count.ExecuteScalarAsync())!);
        await using var kept = new NpgsqlCommand("SELECT count(*) FROM channels WHERE slug = 'kept-channel'", connection);
        Assert.Equal(1L, (long)(await kept.ExecuteScalarAsync())!);
        await using var verify = Context(connectionString);
        Assert.Empty(await SchemaVerifier.VerifyAsync(verify));
    }

    [Fact]
    public async Task VerifierReportsAColumnTheDatabaseLacks()
    {
        // Guards the guard: a verifier that finds nothing wrong with a broken schema proves nothing above.
        var connectionString = await postgres.CreateDatabaseAsync("broken");
        await new SchemaMigrator().ApplyAsync(connectionString);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("ALTER TABLE channels DROP COLUMN title", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await using var context = Context(connectionString);
        var mismatches = await SchemaVerifier.VerifyAsync(context);

        Assert.Contains(mismatches, m => m.Contains("title", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoMigratorsStartingTogetherApplyEachFileOnce()
    {
        var connectionString = await postgres.CreateDatabaseAsync("race");
        var migrator = new SchemaMigrator();

        var results = await Task.WhenAll(migrator.ApplyAsync(connectionString), new SchemaMigrator().ApplyAsync(connectionString));

        Assert.Equal(migrator.Migrations.Count, results.Sum());
    }
}
