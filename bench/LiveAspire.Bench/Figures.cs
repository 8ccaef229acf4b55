namespace LiveAspire.Bench;

/// <summary>Shared counters: a 1 ms latency histogram (0..120 s) filled lock-free by every receive loop.</summary>
public sealed class Figures
{
    private const int MaxMs = 120_000;
    private readonly long[] _histogram = new long[MaxMs + 1];
    public long ClosedByServerOrError;
    public long FirstReceiveMs = long.MaxValue;
    public long LastReceiveMs;

    public void Record(long latencyMs)
    {
        var bucket = latencyMs < 0 ? 0 : latencyMs > MaxMs ? MaxMs : latencyMs;
        Interlocked.Increment(ref _histogram[bucket]);
        var now = Environment.TickCount64;
        if (now > Volatile.Read(ref LastReceiveMs))
        {
            Volatile.Write(ref LastReceiveMs, now);
        }
        if (FirstReceiveMs == long.MaxValue)
        {
            Interlocked.CompareExchange(ref FirstReceiveMs, now, long.MaxValue);
        }
    }

    public long Count => _histogram.Sum();

    /// <summary>Forgets everything recorded so far (after a warm-up phase).</summary>
    public void Reset()
    {
        Array.Clear(_histogram);
        Volatile.Write(ref FirstReceiveMs, long.MaxValue);
        Volatile.Write(ref LastReceiveMs, 0);
        Volatile.Write(ref ClosedByServerOrError, 0);
    }

    public long Percentile(double p)
    {
        var total = Count;
        if (total == 0)
        {
            return -1;
        }
        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        for (var i = 0; i < _histogram.Length; i++)
        {
            seen += _histogram[i];
            if (seen >= rank)
            {
                return i;
            }
        }
        return MaxMs;
    }

    public long Max()
    {
        for (var i = _histogram.Length - 1; i >= 0; i--)
        {
            if (_histogram[i] > 0)
            {
                return i;
            }
        }
        return -1;
    }

    public static double ClientCpuSeconds() => Math.Round(Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, 2);

    /// <summary>VmRSS of a process in KiB, from /proc/{pid}/status.</summary>
    public static long RssKib(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return -1;
    }

    /// <summary>CPU seconds (user + system) a process has used, from /proc/{pid}/stat.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return Math.Round(ticks / 100.0, 2);
    }
}
