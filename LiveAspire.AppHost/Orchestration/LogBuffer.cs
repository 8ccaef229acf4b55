namespace LiveAspire.AppHost.Orchestration;

public sealed record LogLine(long Seq, DateTimeOffset Timestamp, string Stream, string Text);

/// <summary>
/// The last N output lines of one process, numbered so a reader can ask for "everything after seq" (the
/// dashboard's live tail), and appended to a log file. Lines are redacted before they are kept anywhere.
/// </summary>
public sealed class LogBuffer : IDisposable
{
    private readonly LogLine[] _ring;
    private readonly Func<string, string> _redact;
    private readonly StreamWriter? _file;
    private readonly Lock _lock = new();
    private long _next = 1;
    private bool _disposed;

    public LogBuffer(int capacity, string? filePath, Func<string, string> redact)
    {
        _ring = new LogLine[Math.Max(16, capacity)];
        _redact = redact;
        if (filePath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(filePath)!);
            _file = new StreamWriter(new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    public long LastSeq { get { lock (_lock) { return _next - 1; } } }

    public void Append(string stream, string text)
    {
        var line = _redact(text);
        lock (_lock)
        {
            var entry = new LogLine(_next, DateTimeOffset.UtcNow, stream, line);
            _ring[_next % _ring.Length] = entry;
            _next++;
            if (!_disposed)
            {
                // A grandchild that inherited the pipe may still print after its parent was stopped.
                _file?.WriteLine(line);
            }
        }
    }

    /// <summary>Lines with <c>Seq &gt; after</c> still in memory, oldest first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<LogLine> GetAfter(long after, int max = 500)
    {
        lock (_lock)
        {
            var first = Math.Max(after + 1, Math.Max(1, _next - _ring.Length));
            first = Math.Max(first, _next - max);
            var result = new List<LogLine>((int)Math.Max(0, _next - first));
            for (var seq = first; seq < _next; seq++)
            {
                result.Add(_ring[seq % _ring.Length]);
            }
            return result;
        }
    }

    /// <summary>True when any kept line contains <paramref name="text"/> (used to recognise "address already in use").</summary>
    public bool Contains(string text, long afterSeq)
        => GetAfter(afterSeq, _ring.Length).Any(l => l.Text.Contains(text, StringComparison.OrdinalIgnoreCase));

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _file?.Dispose();
        }
    }
}
