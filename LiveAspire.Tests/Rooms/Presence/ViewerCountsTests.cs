using LiveAspire.Contracts.Realtime;
using LiveAspire.Rooms.Presence;
using StackExchange.Redis;

namespace LiveAspire.Tests.Rooms.Presence;

/// <summary>
/// <see cref="ViewerCounts"/> on the test system's Redis, over presence entries written by hand under
/// <see cref="PresenceKeys"/> for rooms no replica holds (so no tick touches them): what counts is what has not
/// expired, by Redis's clock, and reading deletes nothing.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class ViewerCountsTests(AppHostFixture system) : RealtimeTestBase(system)
{
    [Fact]
    public async Task CountsTheUsersAndReplicaConnectionsWhoseLeaseHasNotRunOutInEveryRoomAsked()
    {
        var (watched, unwatched) = (TestRooms.NewStreamRoom(), TestRooms.NewStreamRoom());
        var db = Rooms.Redis.GetDatabase();
        var time = (RedisResult[])(await db.ExecuteAsync("TIME"))!;
        var now = (long)time[0] * 1000 + (long)time[1] / 1000;
        var (live, expired) = (now + 60_000, now - 1_000);
        await db.SortedSetAddAsync(PresenceKeys.Users(watched), [new("alice", live), new("bob", live), new("gone", expired)]);
        await db.HashSetAsync(PresenceKeys.Replicas(watched), [new("r1", $"3:{live}"), new("r2", $"2:{live}"), new("dead", $"7:{expired}")]);
        foreach (var key in new[] { PresenceKeys.Users(watched), PresenceKeys.Replicas(watched) })
        {
            await db.KeyExpireAsync(key, TimeSpan.FromMinutes(5));
        }

        var counts = await new ViewerCounts(Rooms.Redis).ReadAsync([watched, unwatched]);

        Assert.Equal(new PresenceCount(2, 5), counts[watched]);
        Assert.Equal(new PresenceCount(0, 0), counts[unwatched]);
        Assert.Equal(3, await db.SortedSetLengthAsync(PresenceKeys.Users(watched)));
        Assert.Equal(3, await db.HashLengthAsync(PresenceKeys.Replicas(watched)));
        await Assert.ThrowsAsync<ArgumentException>(() => new ViewerCounts(Rooms.Redis).ReadAsync(["stream:NOT-A-ROOM"]));
    }
}
