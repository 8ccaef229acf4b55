using System.Diagnostics;
using System.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveAspire.Realtime.Replicas;

/// <summary>
/// <c>POST /replica/gc</c>, only in the <c>Testing</c> environment (as fault hooks are): a full blocking compacting
/// collection, then the heap's and the process's figures. The benchmark calls it before each RSS sample so that
/// "RSS per connection" measures what the connections keep alive, not garbage the connect phase left behind.
/// Anywhere else the route does not exist: any caller could use it to pause the process.
/// </summary>
public static class MemoryApi
{
    /// <summary>The environment the route exists in.</summary>
    public const string TestingEnvironment = "Testing";

    public const string Path = "/replica/gc";

    public static IEndpointRouteBuilder MapTestingMemoryApi(this WebApplication app)
    {
        if (app.Environment.IsEnvironment(TestingEnvironment))
        {
            app.MapPost(Path, CollectGarbage).WithTags("Testing").AllowAnonymous().WithName(nameof(CollectGarbage));
        }
        return app;
    }

    /// <summary>Collects everything it can (aggressive: compacts the large object heap too and gives free memory
    /// back to the OS), runs pending finalizers and collects what they released, and reports.</summary>
    public static Ok<MemoryReport> CollectGarbage()
    {
        var rssBefore = ProcStatus.Read("VmRSS");
        var clock = Stopwatch.StartNew();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var pauseMs = clock.Elapsed.TotalMilliseconds;
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var generations = info.GenerationInfo;
        return TypedResults.Ok(new MemoryReport(
            HeapSizeBytes: info.HeapSizeBytes,
            CommittedBytes: info.TotalCommittedBytes,
            FragmentedBytes: info.FragmentedBytes,
            Gen0Bytes: generations[0].SizeAfterBytes,
            Gen1Bytes: generations[1].SizeAfterBytes,
            Gen2Bytes: generations[2].SizeAfterBytes,
            LargeObjectHeapBytes: generations[3].SizeAfterBytes,
            PinnedObjectHeapBytes: generations[4].SizeAfterBytes,
            PinnedObjects: info.PinnedObjectsCount,
            RssBeforeKib: rssBefore,
            RssAfterKib: ProcStatus.Read("VmRSS"),
            RssAnonKib: ProcStatus.Read("RssAnon"),
            RssFileKib: ProcStatus.Read("RssFile"),
            RssShmemKib: ProcStatus.Read("RssShmem"),
            Threads: ProcStatus.Read("Threads"),
            PauseMs: Math.Round(pauseMs, 1)));
    }

    private static class ProcStatus
    {
        /// <summary>A numeric field of /proc/self/status (KiB for the memory ones); -1 where there is none (not Linux).</summary>
        public static long Read(string field)
        {
            if (!OperatingSystem.IsLinux())
            {
                return -1;
            }
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.Length > field.Length && line.StartsWith(field, StringComparison.Ordinal) && line[field.Length] == ':')
                {
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            return -1;
        }
    }
}

/// <summary>Answer to <c>POST /replica/gc</c> (Testing only): the heap after a forced full collection, and the process.</summary>
/// <param name="HeapSizeBytes">Managed heap size after the collection (live objects plus fragmentation).</param>
/// <param name="CommittedBytes">Memory the GC has committed from the OS.</param>
/// <param name="FragmentedBytes">Free space inside the heap after the collection.</param>
/// <param name="Gen0Bytes">Generation 0 after the collection.</param>
/// <param name="Gen1Bytes">Generation 1 after the collection.</param>
/// <param name="Gen2Bytes">Generation 2 after the collection.</param>
/// <param name="LargeObjectHeapBytes">Large object heap after the collection.</param>
/// <param name="PinnedObjectHeapBytes">Pinned object heap after the collection (Kestrel's and SignalR's buffer pools live here).</param>
/// <param name="PinnedObjects">Objects pinned during the collection.</param>
/// <param name="RssBeforeKib">VmRSS just before the collection, KiB.</param>
/// <param name="RssAfterKib">VmRSS just after it, KiB.</param>
/// <param name="RssAnonKib">Anonymous part of the resident set after it (heaps, stacks), KiB.</param>
/// <param name="RssFileKib">File-backed part of the resident set (mapped assemblies, the runtime), KiB.</param>
/// <param name="RssShmemKib">Shared-memory part of the resident set (the runtime's double-mapped executable memory), KiB.</param>
/// <param name="Threads">Threads in the process.</param>
/// <param name="PauseMs">How long the collections took, ms.</param>
public sealed record MemoryReport(
    long HeapSizeBytes, long CommittedBytes, long FragmentedBytes,
    long Gen0Bytes, long Gen1Bytes, long Gen2Bytes, long LargeObjectHeapBytes, long PinnedObjectHeapBytes, long PinnedObjects,
    long RssBeforeKib, long RssAfterKib, long RssAnonKib, long RssFileKib, long RssShmemKib, long Threads, double PauseMs);
