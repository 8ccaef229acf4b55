using Aspire.Hosting.Testing;
using LiveAspire.AppHost.Local;
using LiveAspire.AppHost.Stores;
using Xunit.Abstractions;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// The lighter fixture: only the part of the model a test needs (PostgreSQL alone, or one service with its real
/// dependencies), built from the AppHost's own resource builders, with its own ports and state folder.
/// </summary>
public abstract class PartialSystemFixture(IMessageSink diagnostics) : SystemFixture(diagnostics)
{
    protected abstract void Define(IDistributedApplicationBuilder builder, LocalEnvironment local);

    protected override Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string[] args)
    {
        var builder = AppHostAssembly.Run(() => DistributedApplicationTestingBuilder.Create(args, TestSystems.Configure));
        var local = builder.ForThisMachine(args) ?? throw new InvalidOperationException("A test system runs on this machine.");
        Define(builder, local);
        return Task.FromResult(builder);
    }
}

/// <summary>PostgreSQL with <c>livedb</c>, nothing else.</summary>
public sealed class PostgresFixture(IMessageSink diagnostics) : PartialSystemFixture(diagnostics)
{
    protected override void Define(IDistributedApplicationBuilder builder, LocalEnvironment local)
        => builder.AddLocalPostgres("postgres", local).AddLocalDatabase("livedb");

    public string LivedbConnectionString => ConnectionString("livedb");

    /// <summary>A fresh, empty database on the same server, for tests that must start from nothing.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString("postgres") + ";Database=postgres");
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return $"{ConnectionString("postgres")};Database={name}";
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
