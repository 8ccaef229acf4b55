using LiveAspire.AppHost.Hosting;
using Xunit;

namespace LiveAspire.Tests.Infrastructure;

/// <summary>
/// The lighter fixture: only the part of the model a test needs (PostgreSQL alone, or one service with its real
/// dependencies), started by the same orchestrator with its own ports and state folder.
/// </summary>
public abstract class PartialSystemFixture : IAsyncLifetime
{
    private readonly string _stateDirectory = TestSystems.NewStateDirectory();

    public DistributedApplication App { get; private set; } = null!;

    protected abstract void Define(IDistributedApplicationBuilder builder);

    public async Task InitializeAsync()
    {
        var builder = new DistributedApplicationBuilder(o => TestSystems.Apply(o, _stateDirectory));
        Define(builder);
        App = builder.Build();
        await TestSystems.StartOrCleanUpAsync(App, DisposeAsync);
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(90));
        }
        AppHostFixture.TryDelete(_stateDirectory);
    }

    public string ConnectionString(string resource) =>
        ((IResourceWithConnectionString)App.GetResource(resource)).ConnectionStringExpression.GetValue();

    public Uri Endpoint(string resource) => new(App.GetResource(resource).GetEndpoint("http").Url);
}

/// <summary>PostgreSQL with <c>livedb</c>, nothing else.</summary>
public sealed class PostgresFixture : PartialSystemFixture
{
    protected override void Define(IDistributedApplicationBuilder builder)
        => builder.AddPostgres("postgres").AddDatabase("livedb");

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

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
