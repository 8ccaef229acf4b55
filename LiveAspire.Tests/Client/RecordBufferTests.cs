using System.Text;
using LiveAspire.Client;
using Xunit;

namespace LiveAspire.Tests.Client;

public sealed class RecordBufferTests
{
    private static List<string> Feed(RecordBuffer buffer, params string[] frames)
    {
        var records = new List<string>();
        foreach (var frame in frames)
        {
            var bytes = Encoding.UTF8.GetBytes(frame);
            var offset = 0;
            while (offset < bytes.Length)
            {
                var memory = buffer.GetReceiveMemory();
                var count = Math.Min(memory.Length, bytes.Length - offset);
                bytes.AsMemory(offset, count).CopyTo(memory);
                buffer.Advance(count);
                offset += count;
                while (buffer.TryReadRecord(out var record))
                {
                    records.Add(Encoding.UTF8.GetString(record.Span));
                }
            }
        }
        return records;
    }

    [Fact]
    public void OneFrameWithSeveralRecordsYieldsEachRecord()
        => Assert.Equal(["{}", "{\"type\":6}", "{\"type\":1}"], Feed(new RecordBuffer(1 << 20), "{}\u001e{\"type\":6}\u001e{\"type\":1}\u001e"));

    [Fact]
    public void ARecordSpanningFramesIsYieldedOnceComplete()
        => Assert.Equal(["{\"type\":6}", "{\"a\":1}"], Feed(new RecordBuffer(1 << 20), "{\"ty", "pe\":6}\u001e{\"a\"", ":1}\u001e"));

    [Fact]
    public void ARecordLargerThanTheInitialBufferGrowsItAndOneBeyondTheLimitIsRefused()
    {
        var big = "{\"d\":\"" + new string('x', 100_000) + "\"}";
        Assert.Equal([big, "{}"], Feed(new RecordBuffer(1 << 20), big[..50_000], big[50_000..] + "\u001e{}\u001e"));
        Assert.Throws<InvalidDataException>(() => Feed(new RecordBuffer(64 * 1024), big + "\u001e"));
    }
}
