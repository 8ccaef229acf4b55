using LiveAspire.Realtime.Edge;

namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>The replica cap's default stays under the process's open-file limit, so the cap refuses before the kernel.</summary>
public sealed class OpenFileLimitTests
{
    [Theory]
    [InlineData(20_000L, 19_000)] // this machine's limit: the cap leaves 1000 descriptors for everything else
    [InlineData(1_048_576L, OpenFileLimit.Fallback)] // a generous limit: the default size, not a million
    [InlineData(1_500L, 500)]
    [InlineData(800L, 1)] // absurdly low: still a positive cap, never zero or negative
    [InlineData(null, OpenFileLimit.Fallback)] // no /proc (not Linux) or "unlimited"
    public void TheDefaultReplicaCapIsTheOpenFileLimitLessTheReserve(long? softLimit, int expected)
        => Assert.Equal(expected, OpenFileLimit.DefaultReplicaCap(softLimit));

    [Fact]
    public void TheSoftLimitIsReadFromProc()
    {
        var line = File.ReadLines("/proc/self/limits").Single(l => l.StartsWith("Max open files", StringComparison.Ordinal));
        var soft = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        Assert.Equal(soft == "unlimited" ? null : long.Parse(soft, System.Globalization.CultureInfo.InvariantCulture), OpenFileLimit.ReadSoftLimit());
    }
}
