using LiveAspire.Hosting;

namespace LiveAspire.Tests.Realtime.Delivery;

/// <summary>
/// The per-class policy end to end (docs/architecture.md section 3, "Event classes"), with a client whose send queue is held by
/// the <c>send-queue-hold</c> fault hook as if it had stopped reading: in a busy chat room its waiting chat is dropped for
/// a <c>room.gap</c>, it is not disconnected, resumes the room and ends up with every event, tips included, in order,
/// once; when reliable events alone fill its send queue it is told to reconnect and misses none. The room's other
/// members never notice either way.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SlowClientTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private string HookFile(string suffix) => Path.Combine(System.FaultDirectory, $"{FaultHookNames.SendQueueHold}.{suffix}");

    [Fact]
    public async Task AClientThatFallsBehindInAChatRoomIsShedToAGapGetsEveryTipAndRecoversTheChatByResume()
    {
        // More than the victim's send queue holds, chat with two tips in it.
        var total = AppHostFixture.SendQueueCapacity + 100;
        long[] tips = [AppHostFixture.SendQueueCapacity / 2, AppHostFixture.SendQueueCapacity + 50];

        await WithHeldVictimAsync(total, seq => tips.Contains(seq) ? "tip.received" : "chat.message", async (room, victim) =>
        {
            await File.WriteAllTextAsync(HookFile("release"), "");
            await victim.WaitForSeqAsync(room, total, Deadline);

            var events = victim.In(room);
            LiveClients.AssertExactly(events, 1, total);
            Assert.Equal(tips, events.Where(e => e.Type == "tip.received").Select(e => e.Seq));
            Assert.True(victim.Client.Counters.GapResumes >= 1, "the victim was never told it fell behind (room.gap)");
            Assert.Equal(0, victim.Client.Counters.Reconnects); // shed, not disconnected
        });
    }

    [Fact]
    public async Task AClientThatFallsBehindOnReliableEventsIsToldToReconnectAndMissesNone()
    {
        // More reliable events than the victim's send queue holds: none may be dropped, so it must be sent away to resume.
        var total = AppHostFixture.SendQueueCapacity + 10;

        await WithHeldVictimAsync(total, _ => "tip.received", async (room, victim) =>
        {
            File.Delete(HookFile("arm")); // the resumed connection is not held again
            await File.WriteAllTextAsync(HookFile("release"), "");
            await victim.WaitForSeqAsync(room, total, Deadline);

            LiveClients.AssertExactly(victim.In(room), 1, total);
            Assert.True(victim.Client.Counters.Reconnects >= 1, "the victim was never told to reconnect");
            Assert.Equal(0, victim.Client.Counters.GapResumes); // nothing was shed: tips are never dropped
        });
    }

    /// <summary>
    /// A control client and a victim in a new stream room on replica 0, the victim's send queue held; then
    /// <paramref name="total"/> events of <paramref name="typeOf"/>(seq) published, and the control seen receiving all
    /// of them (the room never waits for the victim) before <paramref name="then"/> releases the victim and checks it.
    /// </summary>
    private async Task WithHeldVictimAsync(long total, Func<long, string> typeOf, Func<string, CollectingClient, Task> then)
    {
        var room = TestRooms.NewStreamRoom();
        var victimUser = await SystemTokens.NewUserAsync(System);
        await using var control = await ConnectAsync(Replica(0));
        await control.Client.JoinAsync([room]);
        await File.WriteAllTextAsync(HookFile("arm"), $"wait\ncontext={room} user:{victimUser}");
        try
        {
            await using var victim = await ConnectAsync(Replica(0), victimUser);
            await victim.Client.JoinAsync([room]); // returns with the victim's send queue held: it "stopped reading"
            for (var seq = 1L; seq <= total; seq++)
            {
                var published = await Rooms.Publisher.PublishAsync(room, typeOf(seq), JsonSerializer.SerializeToElement(new { n = seq }));
                Assert.Equal(seq, published.Seq);
            }
            await control.WaitForSeqAsync(room, total, Deadline);
            LiveClients.AssertExactly(control.In(room), 1, total);

            await then(room, victim);
        }
        finally
        {
            // The victim is gone by now (disposed), and with it any hold still waiting.
            File.Delete(HookFile("arm"));
            File.Delete(HookFile("release"));
            File.Delete(HookFile("reached"));
        }
    }
}
