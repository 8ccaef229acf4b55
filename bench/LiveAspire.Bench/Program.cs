using LiveAspire.Bench;

// LiveAspire.Bench: see bench/README.md. Usage:
//   LiveAspire.Bench <connections|fanout|rooms|resume|all> [--n N] [--rate R] [--seconds T] [--rooms K] [--per-room M]
//       [--procs P] [--port-start P] [--realtime-env "K=V;..."]      start an own system through the AppHost (Testing, no build)
//       [--endpoints STATE/endpoints.json]                            or target a running one (./run.sh); secrets from STATE/secrets/
//       [--replica-index I]                                           which Realtime replica (default 0), by its own address
//       [--sample-hook CMD]                                           connections: run CMD <pid> <none|n> after each RSS sample
//   LiveAspire.Bench worker --hub ws://... --tokens-file F --from A --count C   (spawned by `connections`)
var command = args.Length > 0 ? args[0] : "help";
var options = Options.Parse(args.Skip(1));
var log = Console.Error;
// Stdout carries the scenarios' JSON lines and nothing else: whatever else writes to Console.Out in this process
// (the AppHost runs in it and prints its addresses once healthy) goes to stderr.
var results = Console.Out;
if (command != "worker")
{
    Console.SetOut(Console.Error);
}

if (command == "worker")
{
    return await Scenarios.WorkerAsync(options);
}
if (command is not ("connections" or "fanout" or "rooms" or "resume" or "chat" or "all"))
{
    log.WriteLine("usage: LiveAspire.Bench connections|fanout|rooms|resume|chat|all [options]  (bench/README.md)");
    return 2;
}

// Every run is bounded: a watchdog ends the process whatever happens.
var limit = TimeSpan.FromSeconds(options.Int("max-seconds", 900));
_ = Task.Delay(limit).ContinueWith(_ =>
{
    log.WriteLine($"watchdog: {limit.TotalSeconds} s elapsed, exiting");
    Environment.Exit(3);
}, TaskScheduler.Default);

Target target;
try
{
    // --realtime-env "KEY=VALUE;KEY2=VALUE2": settings for the Realtime replicas only (runtime experiments).
    var realtimeEnvironment = (options.String("realtime-env") ?? "")
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(pair => pair.Split('=', 2))
        .Select(kv => kv.Length == 2 ? KeyValuePair.Create(kv[0], kv[1]) : throw new ArgumentException($"--realtime-env: '{kv[0]}' is not KEY=VALUE"))
        .ToList();
    var replicaIndex = options.Int("replica-index", 0);
    if (new[] { "replica", "realtime-pid", "redis", "livedb", "signing-key-file" }.FirstOrDefault(options.Has) is { } removed)
    {
        throw new ArgumentException($"--{removed} is gone: target a running system with --endpoints <state>/endpoints.json (bench/README.md)");
    }
    if (options.String("endpoints") is { } endpointsFile)
    {
        if (realtimeEnvironment.Count > 0)
        {
            throw new ArgumentException("--realtime-env applies to a system the bench starts, not to a running one (--endpoints)");
        }
        target = await Target.FromEndpointsFileAsync(endpointsFile, replicaIndex, log);
    }
    else
    {
        target = await Target.StartAsync(options.Int("port-start", 32200), replicaIndex, realtimeEnvironment, log);
    }
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or JsonException or FormatException)
{
    // A wrong option, or a target that is not there (a stale endpoints.json): one line, no stack trace.
    log.WriteLine($"error: {e.Message}");
    return 2;
}

try
{
    var scenarios = command == "all" ? ["connections", "fanout", "rooms", "resume"] : new[] { command };
    foreach (var scenario in scenarios)
    {
        // The machine is shared (other builds and tests): record how busy it was around each scenario.
        var loadBefore = LoadAverage();
        var started = DateTime.UtcNow;
        var figures = scenario switch
        {
            "connections" => await Scenarios.ConnectionsAsync(target, options, log),
            "fanout" => await Scenarios.FanoutAsync(target, options, log),
            "rooms" => await Scenarios.RoomsAsync(target, options, log),
            "chat" => await Scenarios.ChatAsync(target, options, log),
            _ => await Scenarios.ResumeAsync(target, options, log),
        };
        figures["utc"] = started.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        figures["loadavg_1m_before"] = loadBefore;
        figures["loadavg_1m_after"] = LoadAverage();
        results.WriteLine(JsonSerializer.Serialize(figures));
        results.Flush();
    }
}
finally
{
    log.WriteLine("stopping");
    await target.DisposeAsync();
}
return 0;

static double LoadAverage() =>
    double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

namespace LiveAspire.Bench
{
    public sealed class Options
    {
        private readonly Dictionary<string, string> _values = [];

        public static Options Parse(IEnumerable<string> args)
        {
            var o = new Options();
            string? key = null;
            foreach (var a in args)
            {
                if (a.StartsWith("--", StringComparison.Ordinal))
                {
                    if (key is not null)
                    {
                        o._values[key] = "true";
                    }
                    key = a[2..];
                }
                else if (key is not null)
                {
                    o._values[key] = a;
                    key = null;
                }
            }
            if (key is not null)
            {
                o._values[key] = "true";
            }
            return o;
        }

        public bool Has(string key) => _values.ContainsKey(key);
        public string? String(string key) => _values.GetValueOrDefault(key);
        public int Int(string key, int fallback) => _values.TryGetValue(key, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
        public double Double(string key, double fallback) => _values.TryGetValue(key, out var v) ? double.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    internal static class Stopwatches
    {
        public static double Seconds(Stopwatch s) => Math.Round(s.Elapsed.TotalSeconds, 3);
    }
}
