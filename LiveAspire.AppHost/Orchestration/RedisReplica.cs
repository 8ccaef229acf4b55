using LiveAspire.AppHost.Hosting;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>
/// redis-server from a config file in the state folder (mode 600: it holds the password, which must not show in
/// <c>ps</c>), with the append-only file on so acknowledged writes survive a restart.
/// </summary>
public sealed class RedisReplica(RedisResource resource, RunContext context, LogBuffer log)
    : ProcessReplica(resource.Name, log, resource.GetEndpoint("tcp").RequirePort())
{
    private string Folder => Path.Combine(context.StateDirectory, resource.Name);
    private string ConfigPath => Path.Combine(Folder, "redis.conf");

    protected override Task PrepareAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(Folder, "data"));
        WriteConfig();
        return Task.CompletedTask;
    }

    private void WriteConfig()
    {
        var config = string.Join('\n',
            "# Written by the LiveAspire AppHost on every start; edits are overwritten.",
            "bind 127.0.0.1",
            $"port {Port}",
            "protected-mode yes",
            $"requirepass {resource.Password.Value}",
            "appendonly yes",
            "appendfsync everysec",
            $"dir {Path.Combine(Folder, "data")}",
            "daemonize no",
            "logfile \"\"",
            "save 300 1",
            "") ;
        File.WriteAllText(ConfigPath, config);
        File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    protected override ProcessSpec CreateSpec() =>
        new(context.Options.RedisServerPath, [ConfigPath], Folder, new Dictionary<string, string?>());

    protected override Task<string?> ProbeAsync(CancellationToken cancellationToken)
        => RespClient.PingAsync(Port, resource.Password.Value, cancellationToken);

    protected override bool TryMoveToAnotherPort()
    {
        if (!MoveEndpoint(resource.GetEndpoint("tcp"), context.Ports))
        {
            return false;
        }
        WriteConfig(); // the port lives in the config file
        return true;
    }
}
