using LiveAspire.AppHost.Hosting;
using Npgsql;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>
/// PostgreSQL from the machine's binaries. PostgreSQL refuses to run as root, so under root both initdb and the
/// server run as the <c>postgres</c> user through <c>setpriv</c>, which execs in place and so keeps the server's
/// own PID (the one we signal). The data folder belongs to that user and must be reachable by it.
/// </summary>
public sealed class PostgresReplica(PostgresServerResource resource, RunContext context, LogBuffer log)
    : ProcessReplica(resource.Name, log, resource.GetEndpoint("tcp").RequirePort())
{
    private const string SetPriv = "/usr/bin/setpriv";
    private string Folder => Path.Combine(context.StateDirectory, resource.Name);
    private string DataDirectory => Path.Combine(Folder, "data");
    private string SocketDirectory => Path.Combine(Folder, "run");
    private string Bin(string tool) => Path.Combine(context.Options.PostgresBinDirectory, tool);

    /// <summary>SIGINT is PostgreSQL's fast shutdown: roll back open transactions, checkpoint, exit.</summary>
    protected override int StopSignal => PosixSignals.SigInt;

    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Folder);
        Directory.CreateDirectory(SocketDirectory);
        var owner = PosixSignals.IsRoot ? PosixSignals.FindUser("postgres") : null;
        if (PosixSignals.IsRoot && owner is null)
        {
            throw new DistributedApplicationException(
                "PostgreSQL refuses to run as root and there is no 'postgres' user; create it (useradd --system postgres) or run the AppHost as another user");
        }
        if (owner is { } o)
        {
            PosixSignals.ChangeOwner(Folder, o.Uid, o.Gid);
            PosixSignals.ChangeOwner(SocketDirectory, o.Uid, o.Gid);
        }
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            return;
        }

        // The password goes to initdb in a file only its user can read, never on a command line.
        var passwordFile = Path.Combine(Folder, ".pwfile");
        await File.WriteAllTextAsync(passwordFile, resource.Password.Value, cancellationToken);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        if (owner is { } p)
        {
            PosixSignals.ChangeOwner(passwordFile, p.Uid, p.Gid);
        }
        try
        {
            var spec = AsServerUser(Bin("initdb"), [
                "-D", DataDirectory, "-U", PostgresServerResource.UserName, "--pwfile", passwordFile,
                "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "-E", "UTF8", "--no-locale"]);
            var initdb = ManagedProcess.Start(spec.FileName, spec.Arguments, Folder, spec.Environment, Log);
            var code = await initdb.Exited.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
            if (code != 0)
            {
                throw new DistributedApplicationException(
                    $"initdb failed with code {code} (see {context.LogFile(Id)}); if it says 'permission denied', set AppHost:StateDirectory to a folder the postgres user can reach");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    protected override ProcessSpec CreateSpec() => AsServerUser(Bin("postgres"), [
        "-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-k", SocketDirectory, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300",
        "-c", "logging_collector=off"]);

    private ProcessSpec AsServerUser(string tool, IReadOnlyList<string> arguments)
    {
        var environment = new Dictionary<string, string?> { ["LC_ALL"] = "C.UTF-8" };
        if (!PosixSignals.IsRoot)
        {
            return new ProcessSpec(tool, arguments, Folder, environment);
        }
        return new ProcessSpec(SetPriv,
            ["--reuid=postgres", "--regid=postgres", "--clear-groups", "--", tool, .. arguments], Folder, environment);
    }

    protected override async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync(cancellationToken);
        return null;
    }

    /// <summary>A connection string for the AppHost's own use: no pooling, so it holds no server connection between probes.</summary>
    public string AdminConnectionString(string database) =>
        $"{resource.ConnectionStringExpression.GetValue()};Database={database};Pooling=false;Timeout=5;Include Error Detail=true";

    protected override bool TryMoveToAnotherPort() => MoveEndpoint(resource.GetEndpoint("tcp"), context.Ports);
}
