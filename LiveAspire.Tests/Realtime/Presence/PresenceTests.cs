using LiveAspire.Client;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Rooms;

namespace LiveAspire.Tests.Realtime.Presence;

/// <summary>Viewer counts, online status and typing indicators across replicas (issue 5, item 1).</summary>
[Collection(SystemCollection.Name)]
public sealed class PresenceTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static PresenceCount? LatestCount(CollectingClient client, string room) =>
        client.In(room).Where(e => e.Type == EventTypes.PresenceCount).Select(e => e.Data.Deserialize<PresenceCount>(Json)).LastOrDefault();

    private static Task WaitForCountAsync(CollectingClient client, string room, long users, long connections, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => LatestCount(client, room) == new PresenceCount(users, connections),
            $"{room} presence.count {{users {users}, connections {connections}}} (latest: {LatestCount(client, room)})", timeout);

    [Fact]
    public async Task CountsDistinctUsersAndConnectionsWithSeveralConnectionsPerUserAcrossReplicas()
    {
        var room = TestRooms.NewStreamRoom();
        var users = await SystemTokens.NewUsersAsync(System, 2);
        var (alice, bob) = (users[0], users[1]);
        await using var a0 = await ConnectAsync(Replica(0), alice);
        await using var a0b = await ConnectAsync(Replica(0), alice);
        await using var a1 = await ConnectAsync(Replica(1), alice); // the same user on both replicas counts once
        var b1 = await ConnectAsync(Replica(1), bob);
        try
        {
            foreach (var client in new[] { a0, a0b, a1, b1 })
            {
                Assert.Null((await client.Client.JoinAsync([room]))[room].Error);
            }

            await WaitForCountAsync(a0, room, 2, 4);
            await WaitForCountAsync(b1, room, 2, 4); // the same events reach the other replica's members

            await a0b.DisposeAsync(); // alice still has two connections
            await WaitForCountAsync(a1, room, 2, 3);

            await b1.DisposeAsync(); // bob is gone
            await WaitForCountAsync(a0, room, 1, 2);

            await a1.Client.LeaveAsync(room); // alice only on replica 0 now: still one user
            await WaitForCountAsync(a0, room, 1, 1);
        }
        finally
        {
            await b1.DisposeAsync();
        }
        // Counts are a counter class: at most one event per second per room, ephemeral (seq 0, not stored).
        var counts = a0.In(room).Where(e => e.Type == EventTypes.PresenceCount).ToList();
        for (var i = 1; i < counts.Count; i++)
        {
            Assert.True(counts[i].Ts - counts[i - 1].Ts > 800, $"two presence.count events {counts[i].Ts - counts[i - 1].Ts} ms apart");
        }
    }

    [Fact]
    public async Task ViewersOfAReplicaThatDiedExpireFromTheCount()
    {
        var room = TestRooms.NewStreamRoom();
        var users = await SystemTokens.NewUsersAsync(System, 2);
        var (alice, bob) = (users[0], users[1]);
        var victim = System.Part("realtime", 1);
        await using var watcher = await ConnectAsync(Replica(0), alice);
        var onVictim = new List<CollectingClient>
        {
            await ConnectAsync(Replica(1), alice),
            await ConnectAsync(Replica(1), bob),
            await ConnectAsync(Replica(1), bob),
        };
        try
        {
            await watcher.Client.JoinAsync([room]);
            foreach (var client in onVictim)
            {
                await client.Client.JoinAsync([room]);
            }
            await WaitForCountAsync(watcher, room, 2, 4);

            // Stays down until this test starts it again: its clients (pinned to its address) cannot come back and
            // rejoin meanwhile.
            await victim.KillAsync();

            // Nothing said goodbye: the dead replica's entries go when their lease (15 s) runs out.
            await WaitForCountAsync(watcher, room, 1, 1, TimeSpan.FromSeconds(45));
        }
        finally
        {
            foreach (var client in onVictim)
            {
                await client.DisposeAsync();
            }
            if (victim.Pid is null)
            {
                await victim.StartAsync();
            }
        }
    }

    [Fact]
    public async Task TypingPayloadClaimingAnotherSenderIsDeliveredWithTheRealSender()
    {
        var users = await SystemTokens.NewUsersAsync(System, 3);
        var (alice, bob, mallory) = (users[0], users[1], users[2]);
        var room = RoomName.DirectMessage(alice, bob).ToString();
        await using var bobClient = await ConnectAsync(Replica(0), bob);
        await using var aliceClient = await ConnectAsync(Replica(1), alice);
        await using var malloryClient = await ConnectAsync(Replica(1), mallory);
        Assert.Null((await bobClient.Client.JoinAsync([room]))[room].Error);

        // Alice claims to be Mallory: the indicator carries Alice, from her token.
        await aliceClient.Client.InvokeAsync(LiveHubContract.Typing, [room, new { userId = mallory, typing = true }], CancellationToken.None);

        await Eventually.UntilAsync(() => bobClient.In(room).Any(e => e.Type == EventTypes.DmTyping), "bob sees the typing indicator");
        var typing = bobClient.In(room).Single(e => e.Type == EventTypes.DmTyping);
        Assert.Equal(new DmTyping(alice, true), typing.Data.Deserialize<DmTyping>(Json));
        Assert.Equal(LiveHubContract.EphemeralSeq, typing.Seq); // not numbered, not stored
        Assert.Equal(0, (await Rooms.History.ReadAsync(room, null)).Seq);

        // Mallory is not in the conversation: refused.
        var refused = await Assert.ThrowsAsync<LiveHubInvocationException>(() =>
            malloryClient.Client.InvokeAsync(LiveHubContract.Typing, [room, null], CancellationToken.None));
        Assert.Contains(HubErrorCodes.RoomForbidden, refused.Message, StringComparison.Ordinal);
        var stream = await Assert.ThrowsAsync<LiveHubInvocationException>(() =>
            aliceClient.Client.InvokeAsync(LiveHubContract.Typing, [TestRooms.NewStreamRoom(), null], CancellationToken.None));
        Assert.Contains(HubErrorCodes.RoomInvalid, stream.Message, StringComparison.Ordinal);
        Assert.Single(bobClient.In(room), e => e.Type == EventTypes.DmTyping);
    }

    [Fact]
    public async Task GetPresenceSaysWhoIsOnlineOnAnyReplica()
    {
        var users = await SystemTokens.NewUsersAsync(System, 3);
        var (asker, online, offline) = (users[0], users[1], users[2]);
        await using var askerClient = await ConnectAsync(Replica(0), asker);
        var onlineClient = await ConnectAsync(Replica(1), online);
        var ids = new[] { online.ToString("D"), offline.ToString("D") };
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                var answer = await askerClient.Client.InvokeAsync<Dictionary<string, bool>>(LiveHubContract.GetPresence, [ids], CancellationToken.None);
                return answer[ids[0]] && !answer[ids[1]];
            }, "the user on the other replica online, the other offline");
        }
        finally
        {
            await onlineClient.DisposeAsync();
        }
        await Eventually.UntilAsync(async () =>
        {
            var answer = await askerClient.Client.InvokeAsync<Dictionary<string, bool>>(LiveHubContract.GetPresence, [ids], CancellationToken.None);
            return !answer[ids[0]] && !answer[ids[1]];
        }, "the disconnected user offline");

        var tooMany = Enumerable.Range(0, 101).Select(_ => Guid.NewGuid().ToString("D")).ToArray();
        var error = await Assert.ThrowsAsync<LiveHubInvocationException>(() =>
            askerClient.Client.InvokeAsync<Dictionary<string, bool>>(LiveHubContract.GetPresence, [tooMany], CancellationToken.None));
        Assert.Contains(HubErrorCodes.InvalidArgument, error.Message, StringComparison.Ordinal);
    }
}
