namespace LiveAspire.AppHost.Hosting;

/// <summary>
/// Everything about where and how the application runs. Bound from configuration section <c>AppHost</c>
/// (command line <c>--AppHost:PortRangeStart=21000</c>, environment <c>AppHost__PortRangeStart</c>) and the
/// switches documented in README.md. Tests set their own so several systems run side by side.
/// </summary>
public sealed class DistributedApplicationOptions
{
    /// <summary>Folder for data, logs and generated secrets. Default: <c>.liveaspire/</c> in the repository, or a
    /// folder under /tmp when running as root (PostgreSQL runs as <c>postgres</c> and must reach its data folder).</summary>
    public string? StateDirectory { get; set; }

    /// <summary>First port of the loopback block resources take ports from. Kept below 32768, where the kernel's
    /// ephemeral ports begin, so an outgoing connection never takes a port a service is about to bind.</summary>
    public int PortRangeStart { get; set; } = 17100;

    /// <summary>Last port (inclusive) of the block.</summary>
    public int PortRangeEnd { get; set; } = 17199;

    /// <summary>Dashboard port on 127.0.0.1. 0 takes one from the block.</summary>
    public int DashboardPort { get; set; } = 18888;

    /// <summary>Start projects from existing build output; fail when it is missing instead of building.</summary>
    public bool NoBuild { get; set; }

    /// <summary>Build configuration whose output is started. Default: the AppHost's own.</summary>
    public string Configuration { get; set; } =
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    /// <summary>ASPNETCORE_ENVIRONMENT given to every project (Development, Testing, Production).</summary>
    public string EnvironmentName { get; set; } = "Development";

    /// <summary>Seconds a resource may take to turn healthy before start-up fails with an error naming it.</summary>
    public int HealthTimeoutSeconds { get; set; } = 90;

    /// <summary>Seconds a project gets to exit after SIGTERM before it is killed.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 15;

    /// <summary>Path of <c>redis-server</c>.</summary>
    public string RedisServerPath { get; set; } = "/usr/bin/redis-server";

    /// <summary>Folder holding <c>initdb</c> and <c>postgres</c>.</summary>
    public string PostgresBinDirectory { get; set; } = "/usr/lib/postgresql/15/bin";

    /// <summary>Lines of each process's output kept in memory for the dashboard.</summary>
    public int LogLinesKept { get; set; } = 2000;

    /// <summary>Repository root (holds LiveAspire.sln). Found by walking up from the AppHost binary when null.</summary>
    public string? RepositoryRoot { get; set; }

    /// <summary>Print resource state changes and the dashboard address to the console.</summary>
    public bool ConsoleOutput { get; set; } = true;
}
