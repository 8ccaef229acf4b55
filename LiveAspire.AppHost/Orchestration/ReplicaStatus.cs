namespace LiveAspire.AppHost.Orchestration;

public enum ResourceState { Waiting, Starting, Running, Restarting, Stopping, Stopped, Failed }

public enum HealthStatus { Unknown, Healthy, Unhealthy }

/// <summary>What a process to start looks like: the runner decides, the supervisor starts and restarts it.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment);
