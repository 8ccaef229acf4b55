using LiveAspire.Api.Data;
using LiveAspire.Data.Outbox;
using LiveAspire.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LiveAspire.Tests.Data.Outbox;

/// <summary>The writer's rules, without a database: what a row holds before it commits.</summary>
public sealed class OutboxWriterTests
{
    [Theory]
    [InlineData("", 0x811C9DC5u)]
    [InlineData("a", 0xE40C292Cu)]
    [InlineData("foobar", 0xBF9CF968u)]
    public void PartitionHashIsFnv1aOfTheUtf8Bytes(string text, uint expected) =>
        Assert.Equal(expected, OutboxPartitioner.Fnv1a(text)); // published FNV-1a 32-bit test vectors

    [Fact]
    public void EveryRowOfOneRoomLandsInOnePartitionWithinTheCount()
    {
        var room = TestRoomsName();
        var partition = OutboxPartitioner.Partition(room, 8);
        Assert.InRange(partition, 0, 7);
        Assert.Equal((int)(OutboxPartitioner.Fnv1a(room) % 8), partition);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(partition, OutboxPartitioner.Partition(room, 8)));
    }

    [Theory]
    [InlineData("stream:not-a-guid", "test.outbox")]
    [InlineData("lobby", "test.outbox")]
    [InlineData("stream:00000000-0000-0000-0000-000000000001", "NoDots")]
    public void RowsThatCouldNeverBePublishedAreRefusedAtWriteTime(string room, string type)
    {
        var writer = new OutboxWriter(Options.Create(new OutboxOptions()), Options.Create(new RoomOptions()));
        using var context = new LiveDbContext(new DbContextOptionsBuilder<LiveDbContext>().UseNpgsql("Host=unused").Options);

        Assert.Throws<ArgumentException>(() => writer.Add(context, room, type, new { n = 1 }));
    }

    [Fact]
    public void AddedRowCarriesCamelCaseDataAGeneratedIdAndItsPartition()
    {
        var writer = new OutboxWriter(Options.Create(new OutboxOptions { Partitions = 4 }), Options.Create(new RoomOptions()));
        using var context = new LiveDbContext(new DbContextOptionsBuilder<LiveDbContext>().UseNpgsql("Host=unused").Options);
        var room = TestRoomsName();

        writer.Add(context, room, "stream.started", new { StreamId = 7, Title = "Hi" });

        var row = Assert.Single(context.ChangeTracker.Entries<OutboxMessage>()).Entity;
        Assert.Equal("""{"streamId":7,"title":"Hi"}""", row.Data);
        Assert.Equal(32, row.EventId.Length);
        Assert.Equal(OutboxPartitioner.Partition(room, 4), row.Partition);
    }

    private static string TestRoomsName() => RoomName.Stream(Guid.NewGuid()).ToString();
}
