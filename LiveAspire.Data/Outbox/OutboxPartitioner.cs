using System.Text;

namespace LiveAspire.Data.Outbox;

/// <summary>
/// Which relay partition a room belongs to. Every row of one room lands in one partition, and one relayer at a time
/// publishes a partition in id order: that is what keeps per-room order. The hash is FNV-1a (32 bit) of the room
/// name's UTF-8 bytes, unsigned, mod the partition count: stable across processes, runtimes and languages
/// (<c>string.GetHashCode</c> is randomised per process, so two Workers would disagree).
/// </summary>
public static class OutboxPartitioner
{
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    public static int Partition(string room, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (int)(Fnv1a(room) % (uint)partitions);
    }

    public static uint Fnv1a(string text)
    {
        var hash = OffsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * Prime);
        }
        return hash;
    }
}
