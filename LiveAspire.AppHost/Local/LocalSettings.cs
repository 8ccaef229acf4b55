namespace LiveAspire.AppHost.Local;

/// <summary>
/// Where and how the system runs on this machine (run mode only), bound from configuration section <c>AppHost</c>:
/// <c>--AppHost:Key=value</c>, <c>AppHost__Key</c> in the environment, or the short switches in
/// <see cref="LocalSwitches"/>. Tests set their own so a test system never shares a folder or a port with
/// <c>./run.sh</c>.
/// </summary>
public sealed class LocalSettings
{
    public const string SectionName = "AppHost";

    /// <summary>Data, generated secrets and <c>endpoints.json</c>. Default: a per-checkout folder under /var/tmp,
    /// outside the checkout and reachable by the <c>postgres</c> user when the AppHost runs as root.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>First port of the loopback block Redis, PostgreSQL and the projects' endpoints take ports from. Below
    /// 32768, where the kernel's ephemeral ports begin, so a load test's client sockets never take one.</summary>
    public int PortRangeStart { get; set; } = 17100;

    /// <summary>Last port (inclusive) of the block.</summary>
    public int PortRangeEnd { get; set; } = 17199;

    /// <summary>Path of <c>redis-server</c>.</summary>
    public string RedisServerPath { get; set; } = "/usr/bin/redis-server";

    /// <summary>Folder holding <c>initdb</c> and <c>postgres</c>.</summary>
    public string PostgresBinDirectory { get; set; } = "/usr/lib/postgresql/15/bin";
}
