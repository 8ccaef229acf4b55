namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// Each system a test starts gets its own block of loopback ports, clear of the development defaults (17100+) and
/// below the kernel's ephemeral range (32768+), so systems never collide even when collections run side by side.
/// </summary>
public static class TestPorts
{
    private const int First = 20000;
    private const int BlockSize = 40;
    private static int _next = -1;

    public static (int Start, int End) NextBlock()
    {
        // Offset by process id so two test runs on one machine usually start in different places; the allocator
        // still probes every port, so an overlap costs a retry, not a failure.
        var offset = Environment.ProcessId % 100;
        var index = (Interlocked.Increment(ref _next) + offset) % 300;
        var start = First + index * BlockSize;
        return (start, start + BlockSize - 1);
    }
}
