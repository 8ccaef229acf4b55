using LiveAspire.AppHost.Hosting;

namespace LiveAspire.AppHost.Orchestration;

/// <summary>What every runner of one application run shares: options, folders, ports.</summary>
public sealed class RunContext(DistributedApplicationOptions options, string repositoryRoot, string stateDirectory, PortAllocator ports)
{
    public DistributedApplicationOptions Options { get; } = options;
    public string RepositoryRoot { get; } = repositoryRoot;
    public string StateDirectory { get; } = stateDirectory;
    public PortAllocator Ports { get; } = ports;

    public string LogFile(string id) => Path.Combine(StateDirectory, "logs", $"{id}.log");

    public LogBuffer CreateLog(string id, Func<string, string> redact) => new(Options.LogLinesKept, LogFile(id), redact);
}
