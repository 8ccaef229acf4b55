using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>
/// The replica's own cap on open hub connections (<c>Edge:MaxConnectionsPerReplica</c>, docs/realtime.md "Edge
/// security"): below it connections open and work; the one over it is refused with 503 <c>replica_full</c> and
/// <c>Retry-After</c> before the upgrade; a closed connection gives its slot back. Realtime runs in-process with a cap of
/// 3 against the stores of <see cref="ApiFixture"/>, so nothing else counts on it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReplicaCapTests(ApiFixture stores)
{
    private const int Cap = 3;
    private const int RetryAfterSeconds = 6;

    [Fact]
    public async Task TheReplicaRefusesTheConnectionOverItsCapWith503ReplicaFullAndAClosedConnectionFreesItsSlot()
    {
        var users = await SystemTokens.NewUsersAsync(stores, Cap + 1);
        var tokens = users.Select(u => SystemTokens.Mint(stores, u)).ToList();
        var realtime = await InProcessHost.StartRealtimeAsync(InProcessHost.Settings(stores, "realtime-replica-cap", new()
        {
            ["Edge:MaxConnectionsPerReplica"] = $"{Cap}",
            ["Edge:ConnectionRetryAfterSeconds"] = $"{RetryAfterSeconds}",
            // Patient with handshakes on a loaded machine: the cap is under test here.
            ["Edge:HandshakeTimeout"] = "00:00:30",
        }));
        var address = InProcessHost.AddressOf(realtime);
        using var cts = new CancellationTokenSource(InProcessHost.Deadline);
        using var client = new EdgeClient(address, "127.0.0.1");
        var open = new List<RawHubSocket>();
        try
        {
            // Each user below the cap connects, and each connection works (an invocation is answered).
            for (var i = 0; i < Cap; i++)
            {
                var socket = await RawHubSocket.ConnectAsync(address, tokens[i], cts.Token);
                open.Add(socket);
                await socket.HandshakeAsync(cts.Token);
                await socket.SendAsync(HubFraming.Invocation("p", LiveHubContract.Ping), cts.Token);
                await Eventually.UntilAsync(() => socket.CompletionsOf("p").Count == 1, $"connection {i + 1} of {Cap} answered");
            }

            // The next one, of a user with no connection at all, meets the replica's cap: 503, not 429.
            var refused = (await client.WebSocketAsync(tokens[Cap])).Refused;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
            Assert.Equal(RetryAfterSeconds, refused.RetryAfterSeconds);
            using (var negotiate = await client.NegotiateAsync(tokens[Cap]))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, negotiate.StatusCode);
                Assert.Equal(TimeSpan.FromSeconds(RetryAfterSeconds), negotiate.Headers.RetryAfter?.Delta);
                using var body = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync());
                Assert.Equal(HubErrorCodes.ReplicaFull, body.RootElement.GetProperty("code").GetString());
            }

            // Closing one gives its slot back (asynchronously, when the server has ended it).
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            var attempt = await Eventually.GetAsync<HubAttempt>(async () => await client.WebSocketAsync(tokens[Cap]),
                a => a?.Connection is not null, "the closed connection's slot to be given back", InProcessHost.Deadline);
            await attempt.Open.CloseAsync();
        }
        finally
        {
            foreach (var socket in open)
            {
                await socket.DisposeAsync();
            }
            await realtime.StopAsync().WaitAsync(InProcessHost.Deadline);
            await realtime.DisposeAsync();
        }
    }
}
