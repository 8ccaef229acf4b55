namespace LiveAspire.Realtime.Edge;

/// <summary>
/// The default of <see cref="EdgeOptions.MaxConnectionsPerReplica"/>: below the process's open-file limit, so that the
/// replica's own cap, with its clear 503 <c>replica_full</c>, is what refuses a connection, never the kernel (an
/// <c>accept</c> failing with "too many open files", which the client sees as a dropped connection and which also
/// starves the replica's Redis, PostgreSQL and log files of descriptors).
/// </summary>
public static class OpenFileLimit
{
    /// <summary>Descriptors left for everything that is not a hub connection: listeners, Redis and PostgreSQL pools,
    /// outgoing HTTP, log and assembly files, the runtime's own.</summary>
    public const int Reserve = 1_000;

    /// <summary>The cap where the limit cannot be read (not Linux) or is very large.</summary>
    public const int Fallback = 20_000;

    /// <summary>The soft open-file limit minus <see cref="Reserve"/> (at least 1), at most <see cref="Fallback"/>
    /// connections a replica is sized for by default.</summary>
    public static int DefaultReplicaCap() => DefaultReplicaCap(ReadSoftLimit());

    public static int DefaultReplicaCap(long? softLimit)
        => softLimit is { } limit ? (int)Math.Clamp(limit - Reserve, 1, Fallback) : Fallback;

    /// <summary>"Max open files" from <c>/proc/self/limits</c> (its soft column), or null where there is none.</summary>
    public static long? ReadSoftLimit()
    {
        const string Path = "/proc/self/limits";
        if (!File.Exists(Path))
        {
            return null;
        }
        foreach (var line in File.ReadLines(Path))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                var columns = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return columns.Length > 0 && long.TryParse(columns[0], out var soft) ? soft : null; // "unlimited": none
            }
        }
        return null;
    }
}
