using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LiveAspire.AppHost.Stores;

public static class LocalPostgresBuilderExtensions
{
    private const string SetPriv = "/usr/bin/setpriv";

    /// <summary>
    /// PostgreSQL as an executable on a fixed loopback port that is not proxied, its data folder made by
    /// <c>initdb</c> on first start (under root both run as <c>postgres</c>), with a health check.
    /// </summary>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, LocalEnvironment local)
    {
        var password = builder.AddParameter($"{name}-password", secret: true);
        builder.Configuration[$"Parameters:{password.Resource.Name}"] = local.Secrets.GetOrCreatePassword(password.Resource.Name);
        var folder = local.FolderFor(name);
        var data = Path.Combine(folder, "data");
        var sockets = Path.Combine(folder, "run");
        var port = local.Ports.Next(name);
        var postgres = Path.Combine(local.Settings.PostgresBinDirectory, "postgres");
        if (!File.Exists(postgres))
        {
            throw new StartupException(
                $"PostgreSQL 15 not found at {postgres}; run ./run.sh (it installs it) or set AppHost:PostgresBinDirectory");
        }
        if (Posix.IsRoot && Posix.FindUser("postgres") is null)
        {
            throw new StartupException(
                "PostgreSQL refuses to run as root and there is no 'postgres' user; create it (useradd --system postgres) or run the AppHost as another user");
        }
        var server = new LocalPostgresResource(name, Posix.IsRoot ? SetPriv : postgres, folder, password.Resource);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (_, cancellationToken) =>
            await PrepareAsync(local, folder, data, sockets, await password.Resource.GetValueAsync(cancellationToken) ?? "", cancellationToken));

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, cancellationToken) =>
            connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => (connectionString ?? throw new InvalidOperationException($"{name}'s connection string is not known yet")) + ";Database=postgres;Pooling=false",
            name: healthCheck);

        string[] arguments = ["-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", sockets,
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "logging_collector=off"];
        return builder.AddResource(server)
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: LocalPostgresResource.EndpointName, isProxied: false)
            .WithArgs(Posix.IsRoot ? AsPostgresUser(postgres, arguments) : arguments)
            .WithEnvironment("LC_ALL", "C.UTF-8")
            .WithHealthCheck(healthCheck);
    }

    /// <summary>
    /// A database the orchestrator knows nothing about: it is created once the server is healthy, and its state is
    /// published here (the orchestrator gives a child of an executable none, and whatever waits for it would wait
    /// forever). Healthy while it accepts connections.
    /// </summary>
    public static IResourceBuilder<LocalDatabaseResource> AddLocalDatabase(this IResourceBuilder<LocalPostgresResource> server, string name, string? databaseName = null)
    {
        var builder = server.ApplicationBuilder;
        var database = new LocalDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);

        string? connectionString = null;
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (@event, cancellationToken) =>
        {
            connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken);
            var admin = await server.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken);
            await CreateIfMissingAsync(admin + ";Database=postgres;Pooling=false", database.DatabaseName, cancellationToken);
            await @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        });
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => (connectionString ?? throw new InvalidOperationException($"{name} is not created yet")) + ";Pooling=false",
            name: healthCheck);

        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.Waiting,
                Properties = [],
            })
            .WithHealthCheck(healthCheck);
    }

    private static string[] AsPostgresUser(string tool, string[] arguments)
        => ["--reuid=postgres", "--regid=postgres", "--clear-groups", "--", tool, .. arguments];

    private static async Task PrepareAsync(LocalEnvironment local, string folder, string data, string sockets, string password, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(sockets);
        var owner = Posix.IsRoot ? Posix.FindUser("postgres") : null;
        if (owner is { } o)
        {
            Posix.ChangeOwner(folder, o.Uid, o.Gid);
            Posix.ChangeOwner(sockets, o.Uid, o.Gid);
        }
        if (File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            return;
        }

        // The password goes to initdb in a file only its user can read, never on a command line.
        var passwordFile = Path.Combine(folder, ".pwfile");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (owner is { } p)
        {
            Posix.ChangeOwner(passwordFile, p.Uid, p.Gid);
        }
        try
        {
            var initdb = Path.Combine(local.Settings.PostgresBinDirectory, "initdb");
            string[] arguments = ["-D", data, "-U", LocalPostgresResource.UserName, "--pwfile", passwordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--no-locale"];
            var start = new ProcessStartInfo(Posix.IsRoot ? SetPriv : initdb) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in Posix.IsRoot ? AsPostgresUser(initdb, arguments) : arguments)
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["LC_ALL"] = "C.UTF-8";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
            if (process.ExitCode != 0)
            {
                throw new StartupException(
                    $"initdb failed with code {process.ExitCode}: {(await errors).Trim()} {(await output).Trim()}; if it says 'permission denied', set AppHost:StateDirectory (--state-dir) to a folder the postgres user can reach");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private static async Task CreateIfMissingAsync(string adminConnectionString, string databaseName, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", databaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // Identifiers cannot be parameters; the name comes from the model, quoted to be safe anyway.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
