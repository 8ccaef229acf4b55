namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>
/// Connection caps per client address and per user, over every transport (docs/realtime.md, "Edge security"),
/// against a Realtime process whose caps are low (<see cref="EdgeSystemFixture"/>). Each test has client addresses
/// of its own, so what one test leaves closing never counts in another.
/// </summary>
[Collection(EdgeSystemCollection.Name)]
public sealed class ConnectionCapTests(EdgeSystemFixture system)
{
    private const int PerIp = EdgeSystemFixture.MaxConnectionsPerIp;
    private const int PerUser = EdgeSystemFixture.MaxConnectionsPerUser;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private EdgeClient From(string address, string? forwardedFor = null) => new(system.Realtime, address, forwardedFor);

    private async Task<List<string>> TokensOfNewUsersAsync(int count) =>
        [.. (await SystemTokens.NewUsersAsync(system, count)).Select(system.Mint)];

    private static void AssertTooManyConnections(Refusal refusal)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, refusal.Status);
        Assert.Equal(EdgeSystemFixture.RetryAfterSeconds, refusal.RetryAfterSeconds);
    }

    private static async Task AssertNegotiateRefusedAsync(EdgeClient client, string token)
    {
        using var response = await client.NegotiateAsync(token);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(EdgeSystemFixture.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
    }

    /// <summary>Retries a WebSocket connection until the cap lets it in (a slot is given back asynchronously).</summary>
    private static async Task<OpenHubConnection> EventuallyConnectsAsync(EdgeClient client, string token, string what, TimeSpan? deadline = null)
    {
        var attempt = await Eventually.GetAsync<HubAttempt>(async () => await client.WebSocketAsync(token), a => a?.Connection is not null, what, deadline ?? Deadline);
        return attempt.Open;
    }

    [Fact]
    public async Task ConnectionsOfDifferentUsersFromOneAddressShareItsCapAndAClosedOneFreesItsSlot()
    {
        using var client = From("127.0.0.11");
        var tokens = await TokensOfNewUsersAsync(PerIp + 1);
        await using var held = new HeldConnections();
        for (var i = 0; i < PerIp; i++)
        {
            held.Add((await client.WebSocketAsync(tokens[i])).Open);
        }
        var late = tokens[PerIp];

        AssertTooManyConnections((await client.WebSocketAsync(late)).Refused);
        await AssertNegotiateRefusedAsync(client, late);

        // The cap is the address's, not the user's nor the replica's: the same user connects from another address.
        using (var elsewhere = From("127.0.0.12"))
        {
            await (await elsewhere.WebSocketAsync(late)).Open.CloseAsync();
        }
        await held[0].CloseAsync();
        held.Add(await EventuallyConnectsAsync(client, late, "the closed connection's slot to be given back"));
    }

    [Fact]
    public async Task FromAPeerThatIsNotAKnownProxyXForwardedForDoesNotEscapeTheAddressCap()
    {
        var tokens = await TokensOfNewUsersAsync(PerIp + 1);
        await using var held = new HeldConnections();
        // Each claims to forward another client; believed, the four would be four addresses with one connection each.
        for (var i = 0; i < PerIp; i++)
        {
            using var client = From("127.0.0.21", forwardedFor: $"203.0.113.{i + 1}");
            held.Add((await client.WebSocketAsync(tokens[i])).Open);
        }
        using var spoofing = From("127.0.0.21", forwardedFor: "203.0.113.99");

        AssertTooManyConnections((await spoofing.WebSocketAsync(tokens[PerIp])).Refused);
        await AssertNegotiateRefusedAsync(spoofing, tokens[PerIp]);
    }

    /// <summary>
    /// Guests (docs/realtime.md, "Guests"): each guest token has a subject of its own, so one address holds more guest
    /// connections than the per-user cap allows a user, but no more than the address's cap. One token is still one
    /// subject: the per-user cap binds it.
    /// </summary>
    [Fact]
    public async Task GuestsFromOneAddressEachHaveTheirOwnUserSlotButShareTheAddressCap()
    {
        var (_, channel) = await Guests.NewChannelAsync(system);
        var tokens = new List<string>();
        for (var i = 0; i <= PerIp; i++)
        {
            tokens.Add((await Guests.TokenAsync(system, channel)).AccessToken);
        }
        await using var held = new HeldConnections();
        using (var client = From("127.0.0.61"))
        {
            Assert.True(PerIp > PerUser, "the address cap must be above the user cap for this test to tell them apart");
            for (var i = 0; i < PerIp; i++)
            {
                held.Add((await client.WebSocketAsync(tokens[i])).Open);
            }

            AssertTooManyConnections((await client.WebSocketAsync(tokens[PerIp])).Refused);
        }
        using var another = From("127.0.0.62");
        for (var i = 0; i < PerUser; i++)
        {
            held.Add((await another.WebSocketAsync(tokens[PerIp])).Open);
        }
        AssertTooManyConnections((await another.WebSocketAsync(tokens[PerIp])).Refused);
    }

    [Fact]
    public async Task FromTheKnownProxyEachForwardedAddressIsCountedAsItsOwnClient()
    {
        var tokens = await TokensOfNewUsersAsync(PerIp + 1);
        await using var held = new HeldConnections();
        using var first = From(EdgeSystemFixture.KnownProxy, forwardedFor: "198.51.100.7");
        for (var i = 0; i < PerIp; i++)
        {
            held.Add((await first.WebSocketAsync(tokens[i])).Open);
        }

        // The forwarded client is at its cap...
        AssertTooManyConnections((await first.WebSocketAsync(tokens[PerIp])).Refused);
        // ...another one behind the same proxy is not, though the proxy's own address now carries more than the cap.
        using var second = From(EdgeSystemFixture.KnownProxy, forwardedFor: "198.51.100.8");
        held.Add((await second.WebSocketAsync(tokens[PerIp])).Open);
    }

    [Fact]
    public async Task EveryTransportHoldsAUserSlotAndAUserAtTheCapCannotOpenMoreByAny()
    {
        using var client = From("127.0.0.31");
        var token = (await TokensOfNewUsersAsync(1))[0];
        await using var held = new HeldConnections();
        held.Add((await client.WebSocketAsync(token)).Open);
        held.Add((await client.EventStreamAsync(token, await client.NegotiatedIdAsync(token))).Open);
        // Negotiated while the user still has room: connections the server keeps (15 s) for a transport to start.
        var spare = new[] { await client.NegotiatedIdAsync(token), await client.NegotiatedIdAsync(token), await client.NegotiatedIdAsync(token) };
        held.Add((await client.LongPollingAsync(token, await client.NegotiatedIdAsync(token))).Open);
        Assert.Equal(PerUser, held.Count);

        AssertRefusedAtTheCap((await client.LongPollingAsync(token, spare[0])).Refused);
        AssertTooManyConnections((await client.EventStreamAsync(token, spare[1])).Refused);
        AssertTooManyConnections((await client.WebSocketAsync(token, spare[2])).Refused);
        AssertTooManyConnections((await client.WebSocketAsync(token)).Refused);
        await AssertNegotiateRefusedAsync(client, token);
    }

    [Fact]
    public async Task ALongPollingConnectionGivesItsSlotBackWhenClosedAndWhenItsClientVanishes()
    {
        using var client = From("127.0.0.41");
        var token = (await TokensOfNewUsersAsync(1))[0];
        await using var held = new HeldConnections();
        for (var i = 0; i < PerUser; i++)
        {
            held.Add((await client.LongPollingAsync(token, await client.NegotiatedIdAsync(token))).Open);
        }
        AssertTooManyConnections((await client.WebSocketAsync(token)).Refused);

        await held[0].CloseAsync();
        held.Add(await EventuallyConnectsAsync(client, token, "the slot of the long-polling connection closed by DELETE"));
        AssertTooManyConnections((await client.WebSocketAsync(token)).Refused);

        // No DELETE, no more polls: the server ends the connection on its own timeout and gives the slot back.
        await held[1].AbandonAsync();
        held.Add(await EventuallyConnectsAsync(client, token, "the slot of the long-polling connection whose client vanished",
            TimeSpan.FromSeconds(90)));
    }

    [Fact]
    public async Task LongPollingAndEventStreamConnectionsOfDifferentUsersShareTheAddressCap()
    {
        using var client = From("127.0.0.51");
        var tokens = await TokensOfNewUsersAsync(PerIp + 1);
        await using var held = new HeldConnections();
        held.Add((await client.LongPollingAsync(tokens[0], await client.NegotiatedIdAsync(tokens[0]))).Open);
        held.Add((await client.EventStreamAsync(tokens[1], await client.NegotiatedIdAsync(tokens[1]))).Open);
        held.Add((await client.LongPollingAsync(tokens[2], await client.NegotiatedIdAsync(tokens[2]))).Open);
        held.Add((await client.WebSocketAsync(tokens[3])).Open);

        await AssertNegotiateRefusedAsync(client, tokens[PerIp]);
        AssertTooManyConnections((await client.WebSocketAsync(tokens[PerIp])).Refused);
    }

    /// <summary>
    /// A long-polling connection negotiated before the cap was reached starts on its first poll, before it can be
    /// refused with a status: its handshake is answered with the error instead (docs/errors.md).
    /// </summary>
    private static void AssertRefusedAtTheCap(Refusal refusal) =>
        Assert.Contains(LiveAspire.Contracts.Realtime.HubErrorCodes.TooManyConnections, refusal.HandshakeError ?? "");

    /// <summary>The connections a test opened, disposed (abruptly) at its end.</summary>
    private sealed class HeldConnections : List<OpenHubConnection>, IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var connection in this)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
