using LiveAspire.AppHost.Hosting;
using Npgsql;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>A database on a PostgreSQL server: created once the server is healthy, healthy while it accepts connections.</summary>
public sealed class DatabaseRunner(PostgresDatabaseResource resource, PostgresRunner server) : ResourceRunner(resource)
{
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _created;
    private string? _problem = "waiting for the server";
    private Task _monitor = Task.CompletedTask;

    public override IReadOnlyList<ProcessReplica> Replicas => [];

    public override bool IsHealthy => _created && server.IsHealthy;

    public override string? Problem => IsHealthy ? null : _problem ?? server.Problem;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        server.Changed += _ => OnChanged();
        _monitor = EnsureCreatedAsync(_stop.Token);
        return base.StartAsync(cancellationToken);
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !_created)
        {
            try
            {
                await using var connection = new NpgsqlConnection(server.Server.AdminConnectionString("postgres"));
                await connection.OpenAsync(cancellationToken);
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
                exists.Parameters.AddWithValue("name", resource.DatabaseName);
                if (await exists.ExecuteScalarAsync(cancellationToken) is null)
                {
                    // Identifiers cannot be parameters; the name comes from the model, quoted to be safe anyway.
                    await using var create = new NpgsqlCommand(
                        $"CREATE DATABASE \"{resource.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
                _created = true;
                _problem = null;
                OnChanged();
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                _problem = e.Message;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _monitor;
        _stop.Dispose();
    }
}
