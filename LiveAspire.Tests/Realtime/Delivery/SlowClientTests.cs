using System.Text.Json;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Infrastructure.Faults;
using LiveAspire.Tests.Infrastructure;
using Xunit;

namespace LiveAspire.Tests.Realtime.Delivery;

/// <summary>
/// The per-class policy end to end (DESIGN.md section 4, "Message classes"): a client that cannot keep up in a busy
/// chat room has its waiting chat dropped for a <c>room.gap</c>, is not disconnected, resumes the room and ends up with
/// every event, tips included, in order, once; the room's other members never notice.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SlowClientTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AClientThatFallsBehindInAChatRoomIsShedToAGapGetsEveryTipAndRecoversTheChatByResume()
    {
        var room = TestRooms.NewStreamRoom();
        var victimUser = await SystemTokens.NewUserAsync(System.App);
        await using var control = await ConnectAsync(Replica(0));
        await control.Client.JoinAsync([room]);

        var hook = FaultHookNames.OutboxHold;
        var arm = Path.Combine(System.FaultDirectory, $"{hook}.arm");
        var release = Path.Combine(System.FaultDirectory, $"{hook}.release");
        await File.WriteAllTextAsync(arm, $"wait\ncontext={room} user:{victimUser}");
        try
        {
            await using var victim = await ConnectAsync(Replica(0), victimUser);
            await victim.Client.JoinAsync([room]); // returns with the victim's outbox held: it "stopped reading"

            // More than its outbox holds, chat with two tips in it.
            var total = AppHostFixture.OutboxCapacity + 100;
            long[] tips = [AppHostFixture.OutboxCapacity / 2, AppHostFixture.OutboxCapacity + 50];
            for (var seq = 1L; seq <= total; seq++)
            {
                var type = tips.Contains(seq) ? "tip.received" : "chat.message";
                var published = await Rooms.Publisher.PublishAsync(room, type, JsonSerializer.SerializeToElement(new { n = seq }));
                Assert.Equal(seq, published.Seq);
            }
            await control.WaitForSeqAsync(room, total, Deadline);
            LiveClients.AssertExactly(control.In(room), 1, total); // the room never waited for the victim

            await File.WriteAllTextAsync(release, "");
            await victim.WaitForSeqAsync(room, total, Deadline);

            var events = victim.In(room);
            LiveClients.AssertExactly(events, 1, total);
            Assert.Equal(tips, events.Where(e => e.Type == "tip.received").Select(e => e.Seq));
            Assert.True(victim.Client.Counters.GapResumes >= 1, "the victim was never told it fell behind (room.gap)");
            Assert.Equal(0, victim.Client.Counters.Reconnects); // shed, not disconnected
        }
        finally
        {
            // The victim is gone by now (disposed), and with it any hold still waiting.
            File.Delete(arm);
            File.Delete(release);
            File.Delete(Path.Combine(System.FaultDirectory, $"{hook}.reached"));
        }
    }

    [Fact]
    public async Task AClientThatFallsBehindOnReliableEventsIsToldToReconnectAndMissesNone()
    {
        var room = TestRooms.NewStreamRoom();
        var victimUser = await SystemTokens.NewUserAsync(System.App);
        await using var control = await ConnectAsync(Replica(0));
        await control.Client.JoinAsync([room]);

        var hook = FaultHookNames.OutboxHold;
        var arm = Path.Combine(System.FaultDirectory, $"{hook}.arm");
        var release = Path.Combine(System.FaultDirectory, $"{hook}.release");
        await File.WriteAllTextAsync(arm, $"wait\ncontext={room} user:{victimUser}");
        try
        {
            await using var victim = await ConnectAsync(Replica(0), victimUser);
            await victim.Client.JoinAsync([room]); // returns with the victim's outbox held

            // More reliable events than its outbox holds: none may be dropped, so the client must be sent away to resume.
            var total = AppHostFixture.OutboxCapacity + 10;
            for (var seq = 1L; seq <= total; seq++)
            {
                var published = await Rooms.Publisher.PublishAsync(room, "tip.received", JsonSerializer.SerializeToElement(new { n = seq }));
                Assert.Equal(seq, published.Seq);
            }
            await control.WaitForSeqAsync(room, total, Deadline);
            File.Delete(arm); // the resumed connection is not held again
            await File.WriteAllTextAsync(release, "");

            await victim.WaitForSeqAsync(room, total, Deadline);
            LiveClients.AssertExactly(victim.In(room), 1, total);
            Assert.True(victim.Client.Counters.Reconnects >= 1, "the victim was never told to reconnect");
            Assert.Equal(0, victim.Client.Counters.GapResumes); // nothing was shed: tips are never dropped
            LiveClients.AssertExactly(control.In(room), 1, total);
        }
        finally
        {
            File.Delete(arm);
            File.Delete(release);
            File.Delete(Path.Combine(System.FaultDirectory, $"{hook}.reached"));
        }
    }
}
