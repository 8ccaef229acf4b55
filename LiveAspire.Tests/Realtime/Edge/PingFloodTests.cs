using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>
/// Protocol Ping records are metered per connection (<c>Edge:MaxPingsPerMinute</c>, default 60; docs/realtime.md "Edge
/// security"): a client at the budget stays, a flood closes the flooding connection with <c>ping_flood</c>, and a
/// well-behaved client in the same room on the same replica receives every event published around it.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class PingFloodTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>The default budget (the test system does not change it).</summary>
    private const int MaxPingsPerMinute = 60;

    [Fact]
    public async Task APingFloodClosesTheFloodingConnectionWithPingFloodWhileAClientOnTheSameReplicaKeepsReceiving()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var room = TestRooms.NewStreamRoom();
        await using var control = await ConnectAsync(Replica(0));
        Assert.Null((await control.Client.JoinAsync([room], cts.Token))[room].Error);
        await using var flooder = await RawHubSocket.ConnectAsync(Replica(0), SystemTokens.Mint(System, await SystemTokens.NewUserAsync(System)), cts.Token);
        await flooder.HandshakeAsync(cts.Token);
        await flooder.SendAsync(HubFraming.Invocation("join", LiveHubContract.JoinStream, room["stream:".Length..], null, null), cts.Token);
        await Eventually.UntilAsync(() => flooder.CompletionsOf("join").Count == 1, "the flooder's join", Deadline);
        await Rooms.PublishManyAsync(room, 10);

        // Up to the budget the connection stays and works.
        await flooder.SendTextAsync(string.Concat(Enumerable.Repeat(HubFraming.Ping, MaxPingsPerMinute - 1)), cts.Token);
        await flooder.SendAsync(HubFraming.Invocation("alive", LiveHubContract.Ping), cts.Token);
        await Eventually.UntilAsync(() => flooder.CompletionsOf("alive").Count == 1, "an invocation after pings within the budget", Deadline);
        Assert.False(flooder.Closed.IsCompleted, "pings within the budget closed the connection");

        // Past it: closed, and told why in SignalR's Close message.
        await flooder.SendTextAsync(string.Concat(Enumerable.Repeat(HubFraming.Ping, 200)), cts.Token);
        await flooder.Closed.WaitAsync(Deadline);
        var close = Assert.Single(flooder.Messages, m => HubFraming.Type(m) == HubFraming.CloseType);
        Assert.Contains($"HubException: {HubErrorCodes.PingFlood}:", close.GetProperty("error").GetString(), StringComparison.Ordinal);

        await Rooms.PublishManyAsync(room, 10, startAt: 11);
        await control.WaitForSeqAsync(room, 20, Deadline);
        LiveClients.AssertExactly(control.In(room), 1, 20);
        Assert.Equal("realtime-", (await control.Client.PingAsync()).Replica[..9]);
    }
}
