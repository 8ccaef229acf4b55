using LiveAspire.Rooms;

namespace LiveAspire.Bench;

public static partial class Scenarios
{
    private const int ConnectParallelism = 64;
    /// <summary>Above this many sockets the `connections` scenario spreads them over worker processes (20,000 open files per process).</summary>
    private const int SocketsPerProcess = 15_000;

    private static readonly JsonElement Payload = JsonSerializer.SerializeToElement(new { text = "benchmark chat message of a typical length, about sixty chars", user = "bench" });

    // ---------------------------------------------------------------- connections

    public static async Task<Dictionary<string, object?>> ConnectionsAsync(Target target, Options options, TextWriter log)
    {
        var n = options.Int("connections-n", options.Int("n", 2000));
        var procs = options.Int("procs", (n + SocketsPerProcess - 1) / SocketsPerProcess);
        var pid = target.RealtimePid ?? throw new ArgumentException("connections needs the Realtime process id to read its RSS (endpoints.json gives none)");
        var settle = TimeSpan.FromSeconds(options.Int("settle", 10));
        var warmup = options.Int("warmup", 200);
        var tokens = await target.SeedTokensAsync(n);
        if (warmup > 0)
        {
            // First-use costs (JIT, pools, thread pool growth) are not per-connection costs: open and close a few first.
            var (warm, _) = await ConnectAllAsync(target.HubUrl, tokens.Take(warmup).ToList(), new Figures());
            await Task.WhenAll(warm.Select(c => c.CloseAsync()));
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
        // A forced full collection before each sample (Testing only; null against a system without the route), so
        // the difference is what the connections keep alive, not garbage left by the connect phase.
        var (rssBase, gcNone, rssBaseNoGc, rssBaseMedian, samplesNone) = await SampleRssAfterCollectionAsync(target, pid);
        await RunSampleHookAsync(options, pid, "none", log);
        var serverCpu0 = Figures.CpuSeconds(pid);
        log.WriteLine($"connections: RSS with none {rssBase} KiB; opening {n} in {procs} process(es)");

        var figures = new Figures();
        var clientCpu0 = Figures.ClientCpuSeconds();
        var clock = Stopwatch.StartNew();
        List<RawClient> clients = [];
        var workers = new List<Process>();
        var failed = 0;
        string? tokensFile = null;
        if (procs <= 1)
        {
            (clients, failed) = await ConnectAllAsync(target.HubUrl, tokens, figures);
        }
        else
        {
            tokensFile = Path.Combine(Path.GetTempPath(), $"liveaspire-bench-tokens-{Guid.NewGuid():N}");
            await File.WriteAllLinesAsync(tokensFile, tokens);
            var per = (n + procs - 1) / procs;
            for (var p = 0; p < procs; p++)
            {
                var from = p * per;
                var count = Math.Min(per, n - from);
                workers.Add(StartWorker(target.HubUrl, tokensFile, from, count));
            }
            foreach (var w in workers)
            {
                string? line;
                while ((line = await w.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith("READY", StringComparison.Ordinal))
                {
                }
                failed += line is null ? 0 : int.Parse(line.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        var connectSeconds = Stopwatches.Seconds(clock);
        using var keepAlive = new CancellationTokenSource();
        var pings = KeepAliveAsync(clients, keepAlive.Token);

        await Task.Delay(settle);
        var serverCpu1 = Figures.CpuSeconds(pid);
        var (rssLoaded, gcLoaded, rssLoadedNoGc, rssLoadedMedian, samplesLoaded) = await SampleRssAfterCollectionAsync(target, pid);
        var open = n - failed - (int)figures.ClosedByServerOrError;
        log.WriteLine($"connections: RSS with {open} open {rssLoaded} KiB");
        await RunSampleHookAsync(options, pid, "n", log);

        await keepAlive.CancelAsync();
        await pings;
        double workerCpu = 0;
        foreach (var w in workers)
        {
            await w.StandardInput.WriteLineAsync("stop");
            await w.StandardInput.FlushAsync();
            string? line;
            while ((line = await w.StandardOutput.ReadLineAsync()) is not null)
            {
                if (line.StartsWith("CPU", StringComparison.Ordinal))
                {
                    workerCpu += double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                    var dropped = int.Parse(line.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
                    open -= dropped;
                }
            }
            await w.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            w.Dispose();
        }
        await Task.WhenAll(clients.Select(c => c.CloseAsync()));
        if (tokensFile is not null)
        {
            File.Delete(tokensFile);
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
        var rssAfter = Figures.RssKib(pid);

        var perConnection = (double)Math.Max(1, open);
        var result = new Dictionary<string, object?>
        {
            ["scenario"] = "connections",
            ["n"] = n,
            ["load_processes"] = Math.Max(1, procs),
            ["failed"] = failed,
            ["open_at_measure"] = open,
            ["connect_seconds"] = connectSeconds,
            ["rss_none_kib"] = rssBase,
            ["rss_n_kib"] = rssLoaded,
            ["rss_per_connection_kib"] = Math.Round((rssLoaded - rssBase) / perConnection, 2),
            ["rss_after_close_kib"] = rssAfter,
            ["forced_gc"] = gcNone is not null && gcLoaded is not null,
            ["rss_method"] = gcNone is not null && gcLoaded is not null
                ? "VmRSS of the Realtime process (/proc/self/status read by the server) right after a forced full blocking compacting collection (POST /replica/gc: GCCollectionMode.Aggressive, LOH compacted, finalizers run, collected again), the first of 3 taken 1 s apart (*_median3: their median; later ones include buffer-pool growth from the previous collection's pause); heap = GCMemoryInfo.HeapSizeBytes after it; warm-up connections opened and closed before the baseline; *_no_gc = VmRSS just before the first collection"
                : "VmRSS of the Realtime process (/proc/{pid}/status), median of 3 samples 1 s apart after settling; warm-up connections opened and closed before the baseline; no forced GC in the server (it has no POST /replica/gc: not the Testing environment)",
            ["server_cpu_s_connect_and_settle"] = Math.Round(serverCpu1 - serverCpu0, 2),
            ["warmup_connections"] = warmup,
            ["client_cpu_s"] = Math.Round(Figures.ClientCpuSeconds() - clientCpu0 + workerCpu, 2),
        };
        if (gcNone is { } none && gcLoaded is { } loaded)
        {
            long Get(JsonElement e, string name) => e.GetProperty(name).GetInt64();
            var heapPerConnection = (Get(loaded, "heapSizeBytes") - Get(none, "heapSizeBytes")) / perConnection;
            result["rss_none_kib_no_gc"] = rssBaseNoGc;
            result["rss_n_kib_no_gc"] = rssLoadedNoGc;
            result["rss_per_connection_kib_no_gc"] = Math.Round((rssLoadedNoGc - rssBaseNoGc) / perConnection, 2);
            result["heap_none_bytes"] = Get(none, "heapSizeBytes");
            result["heap_n_bytes"] = Get(loaded, "heapSizeBytes");
            result["heap_bytes_per_connection"] = Math.Round(heapPerConnection, 0);
            result["rss_per_connection_kib_median3"] = Math.Round((rssLoadedMedian - rssBaseMedian) / perConnection, 2);
            result["pinned_bytes_per_connection"] = Math.Round((Get(loaded, "pinnedObjectHeapBytes") - Get(none, "pinnedObjectHeapBytes")) / perConnection, 0);
            result["committed_bytes_per_connection"] = Math.Round((Get(loaded, "committedBytes") - Get(none, "committedBytes")) / perConnection, 0);
            result["outside_heap_kib_per_connection"] = Math.Round((rssLoaded - rssBase) / perConnection - heapPerConnection / 1024, 2);
            result["gc_n"] = new Dictionary<string, long>
            {
                ["fragmented"] = Get(loaded, "fragmentedBytes"),
                ["gen2"] = Get(loaded, "gen2Bytes"),
                ["loh"] = Get(loaded, "largeObjectHeapBytes"),
                ["poh"] = Get(loaded, "pinnedObjectHeapBytes"),
                ["rss_anon_kib"] = Get(loaded, "rssAnonKib"),
                ["rss_file_kib"] = Get(loaded, "rssFileKib"),
                ["rss_shmem_kib"] = Get(loaded, "rssShmemKib"),
                ["rss_after_gc_kib"] = Get(loaded, "rssAfterKib"),
                ["threads"] = Get(loaded, "threads"),
            };
            result["gc_none"] = new Dictionary<string, long>
            {
                ["fragmented"] = Get(none, "fragmentedBytes"),
                ["gen2"] = Get(none, "gen2Bytes"),
                ["loh"] = Get(none, "largeObjectHeapBytes"),
                ["poh"] = Get(none, "pinnedObjectHeapBytes"),
                ["rss_anon_kib"] = Get(none, "rssAnonKib"),
                ["rss_file_kib"] = Get(none, "rssFileKib"),
                ["rss_shmem_kib"] = Get(none, "rssShmemKib"),
                ["rss_after_gc_kib"] = Get(none, "rssAfterKib"),
                ["threads"] = Get(none, "threads"),
            };
            result["gc_pause_ms_n"] = loaded.GetProperty("pauseMs").GetDouble();
            // Each of the three collections: [VmRSS KiB, heap bytes, pinned object heap bytes]. The pinned heap holds
            // the buffer pools' idle blocks, which grow with any burst of pending sends or reads (a long pause too).
            result["gc_samples_none"] = samplesNone;
            result["gc_samples_n"] = samplesLoaded;
        }
        if (options.String("label") is { } label)
        {
            result["label"] = label;
        }
        return result;
    }

    /// <summary>
    /// <c>--sample-hook CMD</c>: runs <c>CMD &lt;pid&gt; &lt;none|n&gt;</c> right after an RSS sample (for example a heap
    /// histogram of the Realtime process) and waits for it, at most 5 minutes.
    /// </summary>
    private static async Task RunSampleHookAsync(Options options, int pid, string phase, TextWriter log)
    {
        if (options.String("sample-hook") is not { } hook)
        {
            return;
        }
        var info = new ProcessStartInfo(hook) { UseShellExecute = false };
        info.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(phase);
        using var process = Process.Start(info)!;
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (TimeoutException)
        {
            log.WriteLine($"sample hook {hook} still running after 5 min; killed");
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// With the server's <c>POST /replica/gc</c>: three forced collections 1 s apart, VmRSS read by the server right
    /// after each (so it is not mixed with what the next second allocates). The first is the figure: each collection
    /// stops the server for ~1 s with 10,000 connections, and the reads and sends that pile up meanwhile grow Kestrel's
    /// buffer pool, which the later ones then include (<c>gc_samples_*</c> shows it). Also the median of the three,
    /// and VmRSS just before the first. Without the route: <see cref="SampleRssAsync"/>, and no heap figures.
    /// </summary>
    private static async Task<(long Rss, JsonElement? Report, long RssNoGc, long RssMedian, List<long[]> Samples)> SampleRssAfterCollectionAsync(Target target, int pid)
    {
        var reports = new List<JsonElement>();
        for (var i = 0; i < 3; i++)
        {
            if (await target.CollectGarbageAsync() is not { } report)
            {
                var rss = await SampleRssAsync(pid);
                return (rss, null, rss, rss, []);
            }
            reports.Add(report);
            await Task.Delay(1000);
        }
        var first = reports[0];
        var median = reports.Select(r => r.GetProperty("rssAfterKib").GetInt64()).Order().ElementAt(1);
        var samples = reports.Select(r => new[]
        {
            r.GetProperty("rssAfterKib").GetInt64(), r.GetProperty("heapSizeBytes").GetInt64(), r.GetProperty("pinnedObjectHeapBytes").GetInt64(),
        }).ToList();
        return (first.GetProperty("rssAfterKib").GetInt64(), first, first.GetProperty("rssBeforeKib").GetInt64(), median, samples);
    }

    private static async Task<long> SampleRssAsync(int pid)
    {
        var samples = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            samples.Add(Figures.RssKib(pid));
            await Task.Delay(1000);
        }
        samples.Sort();
        return samples[1];
    }

    private static Process StartWorker(Uri hub, string tokensFile, int from, int count)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Scenarios).Assembly.Location);
        }
        foreach (var a in new[] { "worker", "--hub", hub.ToString(), "--tokens-file", tokensFile, "--from", $"{from}", "--count", $"{count}" })
        {
            info.ArgumentList.Add(a);
        }
        return Process.Start(info)!;
    }

    /// <summary>Worker mode: holds <c>--count</c> idle connections until told to stop (or 10 minutes pass).</summary>
    public static async Task<int> WorkerAsync(Options options)
    {
        var hub = new Uri(options.String("hub")!);
        var tokens = (await File.ReadAllLinesAsync(options.String("tokens-file")!)).Skip(options.Int("from", 0)).Take(options.Int("count", 0)).ToList();
        var figures = new Figures();
        var (clients, failed) = await ConnectAllAsync(hub, tokens, figures);
        Console.Out.WriteLine($"READY {clients.Count} {failed}");
        Console.Out.Flush();
        using var keepAlive = new CancellationTokenSource();
        var pings = KeepAliveAsync(clients, keepAlive.Token);
        await Task.WhenAny(Console.In.ReadLineAsync(), Task.Delay(TimeSpan.FromMinutes(10)));
        await keepAlive.CancelAsync();
        await pings;
        var dropped = (int)figures.ClosedByServerOrError;
        await Task.WhenAll(clients.Select(c => c.CloseAsync()));
        Console.Out.WriteLine($"CPU {Figures.ClientCpuSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)} {dropped}");
        Console.Out.Flush();
        return 0;
    }

    // ---------------------------------------------------------------- fanout and rooms

    public static async Task<Dictionary<string, object?>> FanoutAsync(Target target, Options options, TextWriter log)
    {
        var n = options.Int("fanout-n", options.Int("n", 1000));
        var result = await RoomLoadAsync(target, rooms: 1, perRoom: n, options.Double("rate", 20), options.Int("seconds", 10),
            options.Int("warmup-seconds", 3), log);
        return new Dictionary<string, object?> { ["scenario"] = "fanout", ["subscribers"] = n }.Concat(result).ToDictionary();
    }

    public static async Task<Dictionary<string, object?>> RoomsAsync(Target target, Options options, TextWriter log)
    {
        var rooms = options.Int("rooms", 200);
        var perRoom = options.Int("per-room", 5);
        var result = await RoomLoadAsync(target, rooms, perRoom, options.Double("rate", 10), options.Int("seconds", 10),
            options.Int("warmup-seconds", 3), log);
        return new Dictionary<string, object?> { ["scenario"] = "rooms", ["rooms"] = rooms, ["per_room"] = perRoom }.Concat(result).ToDictionary();
    }

    private static async Task<Dictionary<string, object?>> RoomLoadAsync(Target target, int rooms, int perRoom, double ratePerRoom, int seconds,
        int warmupSeconds, TextWriter log)
    {
        var names = Enumerable.Range(0, rooms).Select(_ => $"stream:{Guid.NewGuid():D}").ToArray();
        var n = rooms * perRoom;
        var tokens = await target.SeedTokensAsync(n);
        var figures = new Figures();
        var connectClock = Stopwatch.StartNew();
        var (clients, failed) = await ConnectAllAsync(target.HubUrl, tokens, figures);
        var connectSeconds = Stopwatches.Seconds(connectClock);
        var roomOf = new Dictionary<RawClient, int>();
        for (var i = 0; i < clients.Count; i++)
        {
            roomOf[clients[i]] = i % rooms;
        }
        await ForEachAsync(clients, c => c.ResumeAsync(names[roomOf[c]], null, null, CancellationToken.None));
        log.WriteLine($"{clients.Count} subscribers in {rooms} room(s) ({failed} failed) after {connectSeconds} s; publishing {ratePerRoom}/s per room for {seconds} s");
        using var keepAlive = new CancellationTokenSource();
        var pings = KeepAliveAsync(clients, keepAlive.Token);

        var publisher = target.CreatePublisher();
        var pid = target.RealtimePid;
        if (warmupSeconds > 0)
        {
            // Warm-up at the same rate, not measured: a fresh process runs its delivery path as unoptimized tier-0 code
            // and spends its first seconds of traffic re-compiling it (tiered JIT); the figures are for a warm server.
            log.WriteLine($"warm-up: {warmupSeconds} s at the same rate (not measured)");
            var warm = await PublishAsync(publisher, names, ratePerRoom, warmupSeconds);
            var warmExpected = Enumerable.Range(0, rooms).Sum(r => warm.Published[r] * clients.Count(c => roomOf[c] == r));
            var warmDrain = Stopwatch.StartNew();
            while (clients.Sum(c => c.Received) < warmExpected && warmDrain.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
            figures.Reset();
            foreach (var c in clients)
            {
                c.ResetCounts();
            }
        }
        var serverCpu0 = pid is { } p0 ? Figures.CpuSeconds(p0) : 0;
        var clientCpu0 = Figures.ClientCpuSeconds();
        var publish = await PublishAsync(publisher, names, ratePerRoom, seconds);
        long expected = 0;
        var perRoomSubscribers = new int[rooms];
        foreach (var c in clients)
        {
            perRoomSubscribers[roomOf[c]]++;
        }
        for (var r = 0; r < rooms; r++)
        {
            expected += publish.Published[r] * perRoomSubscribers[r];
        }
        // Drain: until everything expected arrived, or 10 s after the last publish.
        var drain = Stopwatch.StartNew();
        while (clients.Sum(c => c.Received) < expected && drain.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }
        var delivered = clients.Sum(c => c.Received);
        var serverCpu = pid is { } p1 ? Math.Round(Figures.CpuSeconds(p1) - serverCpu0, 2) : (double?)null;
        var clientCpu = Math.Round(Figures.ClientCpuSeconds() - clientCpu0, 2);
        var window = Math.Max(0.001, (Volatile.Read(ref figures.LastReceiveMs) - publish.StartTick) / 1000.0);
        await keepAlive.CancelAsync();
        await pings;
        var figuresOut = new Dictionary<string, object?>
        {
            ["rate_per_room"] = ratePerRoom,
            ["warmup_seconds"] = warmupSeconds,
            ["seconds"] = seconds,
            ["connected"] = clients.Count,
            ["connect_failed"] = failed,
            ["connect_seconds"] = connectSeconds,
            ["published"] = publish.Published.Sum(),
            ["publish_failed"] = publish.Failed,
            ["publish_seconds"] = publish.Seconds,
            ["expected"] = expected,
            ["delivered"] = delivered,
            ["delivery_ratio"] = expected == 0 ? 0 : Math.Round(delivered / (double)expected, 5),
            ["delivered_per_s"] = Math.Round(delivered / window, 0),
            ["latency_p50_ms"] = figures.Percentile(0.50),
            ["latency_p99_ms"] = figures.Percentile(0.99),
            ["latency_p999_ms"] = figures.Percentile(0.999),
            ["latency_max_ms"] = figures.Max(),
            ["gaps"] = clients.Sum(c => c.Gaps),
            ["duplicates"] = clients.Sum(c => c.Duplicates),
            ["gap_frames"] = clients.Sum(c => c.GapFrames),
            ["ephemeral_received"] = clients.Sum(c => c.Ephemeral),
            ["frames_received"] = clients.Sum(c => c.Frames),
            ["envelopes_per_frame"] = clients.Sum(c => c.Frames) is > 0 and var frames ? Math.Round((double)delivered / frames, 2) : null,
            ["reconnect_requests"] = clients.Sum(c => c.ReconnectRequests),
            ["closed_by_server_or_error"] = figures.ClosedByServerOrError,
            ["server_cpu_s"] = serverCpu,
            ["client_cpu_s"] = clientCpu,
        };
        await Task.WhenAll(clients.Select(c => c.CloseAsync()));
        return figuresOut;
    }

    // ---------------------------------------------------------------- resume

    public static async Task<Dictionary<string, object?>> ResumeAsync(Target target, Options options, TextWriter log)
    {
        var n = options.Int("resume-n", options.Int("n", 200));
        var rate = options.Double("rate", 20);
        var seconds = options.Int("seconds", 15);
        var room = $"stream:{Guid.NewGuid():D}";
        var tokens = await target.SeedTokensAsync(n);
        var figures = new Figures();
        var (clients, failed) = await ConnectAllAsync(target.HubUrl, tokens, figures);
        await ForEachAsync(clients, c => c.ResumeAsync(room, null, null, CancellationToken.None));
        var startSeq = clients.Min(c => c.LastSeq);
        log.WriteLine($"resume: {clients.Count} subscribers; publishing {rate}/s for {seconds} s, dropping all of them at {seconds / 3} s");
        using var keepAlive = new CancellationTokenSource();
        var pings = KeepAliveAsync(clients, keepAlive.Token);
        var publisher = target.CreatePublisher();
        var clientCpu0 = Figures.ClientCpuSeconds();
        var serverCpu0 = target.RealtimePid is { } p0 ? Figures.CpuSeconds(p0) : 0;
        var publishing = PublishAsync(publisher, [room], rate, seconds);

        await Task.Delay(TimeSpan.FromSeconds(seconds / 3.0));
        var resumeMs = new List<double>();
        var notRecovered = 0;
        var resumeFailed = 0;
        var dropClock = Stopwatch.StartNew();
        foreach (var c in clients)
        {
            c.Abort();
        }
        var lock_ = new Lock();
        await ForEachAsync(clients, async c =>
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await c.ConnectAsync(cts.Token);
                var answer = await c.ResumeAsync(room, c.LastSeq, c.Epoch, cts.Token);
                lock (lock_)
                {
                    resumeMs.Add(dropClock.Elapsed.TotalMilliseconds);
                    if (!answer.Contains("\"recovered\":true", StringComparison.Ordinal))
                    {
                        notRecovered++;
                    }
                }
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidOperationException)
            {
                lock (lock_)
                {
                    resumeFailed++;
                }
            }
        });
        var allResumedMs = dropClock.Elapsed.TotalMilliseconds;
        var publish = await publishing;
        var head = publish.LastSeq[0];
        var drain = Stopwatch.StartNew();
        while (clients.Any(c => c.LastSeq < head) && drain.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }
        await keepAlive.CancelAsync();
        await pings;
        resumeMs.Sort();
        double Pct(double p) => resumeMs.Count == 0 ? -1 : Math.Round(resumeMs[Math.Min(resumeMs.Count - 1, (int)Math.Ceiling(p * resumeMs.Count) - 1)], 1);
        var figuresOut = new Dictionary<string, object?>
        {
            ["scenario"] = "resume",
            ["clients"] = clients.Count,
            ["connect_failed"] = failed,
            ["rate"] = rate,
            ["seconds"] = seconds,
            ["published"] = publish.Published[0],
            ["publish_failed"] = publish.Failed,
            ["resume_failed"] = resumeFailed,
            ["not_recovered"] = notRecovered,
            ["resume_ms_p50"] = Pct(0.5),
            ["resume_ms_p99"] = Pct(0.99),
            ["resume_ms_max"] = Pct(1.0),
            ["all_resumed_ms"] = Math.Round(allResumedMs, 1),
            ["gaps"] = clients.Sum(c => c.Gaps),
            ["duplicates"] = clients.Sum(c => c.Duplicates),
            ["missing_at_end"] = clients.Sum(c => Math.Max(0, head - c.LastSeq)),
            ["delivered"] = clients.Sum(c => c.Received),
            ["expected"] = (head - startSeq) * clients.Count,
            ["latency_p50_ms"] = figures.Percentile(0.50),
            ["latency_p99_ms"] = figures.Percentile(0.99),
            ["latency_max_ms"] = figures.Max(),
            ["server_cpu_s"] = target.RealtimePid is { } p1 ? Math.Round(Figures.CpuSeconds(p1) - serverCpu0, 2) : null,
            ["client_cpu_s"] = Math.Round(Figures.ClientCpuSeconds() - clientCpu0, 2),
        };
        await Task.WhenAll(clients.Select(c => c.CloseAsync()));
        return figuresOut;
    }

    // ---------------------------------------------------------------- shared

    private sealed record PublishFigures(long[] Published, long[] LastSeq, long Failed, double Seconds, long StartTick);

    /// <summary>Publishes <paramref name="ratePerRoom"/> msgs/s to every room for <paramref name="seconds"/> (10 ms ticks, rooms round-robin).</summary>
    private static async Task<PublishFigures> PublishAsync(IRoomPublisher publisher, string[] rooms, double ratePerRoom, int seconds)
    {
        var published = new long[rooms.Length];
        var lastSeq = new long[rooms.Length];
        long failed = 0;
        var total = (long)(ratePerRoom * rooms.Length * seconds);
        var totalRate = ratePerRoom * rooms.Length;
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        var startTick = Environment.TickCount64;
        long sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (long)(clock.Elapsed.TotalSeconds * totalRate) + 1);
            for (; sent < due; sent++)
            {
                var r = (int)(sent % rooms.Length);
                inFlight.Add(PublishOneAsync(r));
            }
            await Task.Delay(10);
        }
        await Task.WhenAll(inFlight);
        return new PublishFigures(published, lastSeq, failed, Stopwatches.Seconds(clock), startTick);

        async Task PublishOneAsync(int r)
        {
            try
            {
                var result = await publisher.PublishAsync(rooms[r], "chat.message", Payload);
                Interlocked.Increment(ref published[r]);
                lock (lastSeq)
                {
                    lastSeq[r] = Math.Max(lastSeq[r], result.Seq);
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failed);
            }
        }
    }

    private static async Task<(List<RawClient> Clients, int Failed)> ConnectAllAsync(Uri hub, IReadOnlyList<string> tokens, Figures figures)
    {
        var clients = new List<RawClient>(tokens.Count);
        var failed = 0;
        var errors = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (token, _) =>
        {
            var client = new RawClient(hub, token, figures);
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await client.ConnectAsync(cts.Token);
                lock (clients)
                {
                    clients.Add(client);
                }
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidOperationException)
            {
                Interlocked.Increment(ref failed);
                var reason = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
                errors.AddOrUpdate(reason, 1, (_, count) => count + 1);
            }
        });
        // Why connections failed, the commonest reasons first (stderr: the figures only count them).
        foreach (var (reason, count) in errors.OrderByDescending(e => e.Value).Take(3))
        {
            Console.Error.WriteLine($"connect failed {count} time(s): {reason}");
        }
        return (clients, failed);
    }

    private static Task ForEachAsync(IEnumerable<RawClient> clients, Func<RawClient, Task> action) =>
        Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (c, _) => await action(c));

    /// <summary>The protocol's keep-alive (section 8): a Ping record from every client every 10 s, spread over the period.</summary>
    private static async Task KeepAliveAsync(IReadOnlyList<RawClient> clients, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.StartNew();
                const int Slices = 50;
                for (var s = 0; s < Slices && !stop.IsCancellationRequested; s++)
                {
                    for (var i = s; i < clients.Count; i += Slices)
                    {
                        if (!clients[i].Closed)
                        {
                            _ = clients[i].PingAsync();
                        }
                    }
                    await Task.Delay(TimeSpan.FromMilliseconds(200), stop);
                }
                var rest = TimeSpan.FromSeconds(10) - started.Elapsed;
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, stop);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
