namespace LiveAspire.Tests.Realtime.Heartbeats;

[Collection(SystemCollection.Name)]
public sealed class HeartbeatTests(AppHostFixture system) : RealtimeTestBase(system)
{
    [Fact]
    public async Task EachConnectionGetsItsMeasuredRoundTripTimeAndQuality()
    {
        await using var a = await ConnectAsync(Replica(0));
        await using var b = await ConnectAsync(Replica(1));

        foreach (var client in new[] { a, b })
        {
            await Eventually.UntilAsync(() => client.Client.LastRttMs is not null, "a measured round-trip time", TimeSpan.FromSeconds(30));
            Assert.InRange(client.Client.LastRttMs!.Value, 0, 60_000);
            Assert.Contains(client.Client.ConnectionQuality, new[] { "good", "fair", "poor" });
        }
    }
}
