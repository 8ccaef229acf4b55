using System.Net.WebSockets;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>
/// The edge of the hub (docs/realtime.md, "Edge security"; codes in docs/errors.md): origins, connection caps,
/// broken or abusive clients. Every abuse test keeps a well-behaved control client in the same room and checks
/// it receives every event published around the abuse.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class EdgeSecurityTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private Uri HubUrl => new UriBuilder(System.Endpoint("realtime")) { Scheme = "ws", Path = LiveHubContract.Path }.Uri;

    private string WebOrigin => System.Endpoint("web").GetLeftPart(UriPartial.Authority);

    public static TheoryData<string> RefusedOrigins() => ["http://evil.example", "look-alike", "null", "web-other-port", "https-web"];

    private string OriginFor(string kind) => kind switch
    {
        "look-alike" => $"{WebOrigin}.evil.com",
        "web-other-port" => $"http://127.0.0.1:{System.Endpoint("web").Port + 1}",
        "https-web" => WebOrigin.Replace("http://", "https://", StringComparison.Ordinal),
        _ => kind,
    };

    [Theory]
    [MemberData(nameof(RefusedOrigins))]
    public async Task AForeignOriginIsRefusedWith403BeforeTheUpgrade(string kind)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", OriginFor(kind));
        socket.Options.SetRequestHeader("Authorization", $"Bearer {SystemTokens.Mint(System, await SystemTokens.NewUserAsync(System))}");
        using var cts = new CancellationTokenSource(Deadline);

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(HubUrl, cts.Token));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task TheWebOriginConnectsWithTheTokenInTheQueryAsBrowsersDo()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", WebOrigin);
        var token = SystemTokens.Mint(System, await SystemTokens.NewUserAsync(System));
        using var cts = new CancellationTokenSource(Deadline);

        await socket.ConnectAsync(new UriBuilder(HubUrl) { Query = $"access_token={token}" }.Uri, cts.Token);

        Assert.Equal(WebSocketState.Open, socket.State);
    }

    [Fact]
    public async Task WithoutAnOriginAQueryTokenIsNotEnough()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var token = SystemTokens.Mint(System, await SystemTokens.NewUserAsync(System));
        using var cts = new CancellationTokenSource(Deadline);

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new UriBuilder(HubUrl) { Query = $"access_token={token}" }.Uri, cts.Token));

        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task CorsAllowsTheWebOriginOnTheHubPathOnly()
    {
        using var http = System.CreateHttpClient("realtime");
        async Task<string?> PreflightAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, $"{LiveHubContract.Path}/negotiate?negotiateVersion=1");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
            using var response = await http.SendAsync(request);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.Equal(WebOrigin, await PreflightAsync(WebOrigin));
        Assert.Null(await PreflightAsync("http://evil.example"));
    }

    [Fact]
    public async Task OverThePerUserCapTheUpgradeGets429WithRetryAfter()
    {
        var cap = int.Parse(AppHostFixture.EdgeSettings["Edge__MaxConnectionsPerUser"]);
        var user = await SystemTokens.NewUserAsync(System);
        var url = new UriBuilder(Replica(0)) { Scheme = "ws", Path = LiveHubContract.Path }.Uri;
        var open = new List<ClientWebSocket>();
        using var cts = new CancellationTokenSource(Deadline);
        try
        {
            for (var i = 0; i < cap; i++)
            {
                var socket = new ClientWebSocket();
                socket.Options.SetRequestHeader("Authorization", $"Bearer {SystemTokens.Mint(System, user)}");
                open.Add(socket);
                await socket.ConnectAsync(url, cts.Token);
            }
            using var over = new ClientWebSocket();
            over.Options.CollectHttpResponseDetails = true;
            over.Options.SetRequestHeader("Authorization", $"Bearer {SystemTokens.Mint(System, user)}");

            await Assert.ThrowsAsync<WebSocketException>(() => over.ConnectAsync(url, cts.Token));

            Assert.Equal(HttpStatusCode.TooManyRequests, over.HttpStatusCode);
            Assert.True(int.Parse(over.HttpResponseHeaders!["Retry-After"].Single()) > 0);

            // Another user is not affected, and a freed slot is usable again.
            await using var other = await ConnectAsync(Replica(0));
            await open[0].CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            await Eventually.UntilAsync(async () =>
            {
                using var again = new ClientWebSocket();
                again.Options.SetRequestHeader("Authorization", $"Bearer {SystemTokens.Mint(System, user)}");
                try
                {
                    await again.ConnectAsync(url, cts.Token);
                    return true;
                }
                catch (WebSocketException)
                {
                    return false;
                }
            }, "a freed connection slot to be usable", Deadline);
        }
        finally
        {
            foreach (var socket in open)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    /// <summary>A control client and a raw attacker in the same new stream room, on the same replica.</summary>
    private async Task<(CollectingClient Control, RawHubSocket Attacker, string Room)> RoomWithAttackerAsync(CancellationToken cancellationToken)
    {
        var room = TestRooms.NewStreamRoom();
        var control = await ConnectAsync(Replica(0));
        Assert.Null((await control.Client.JoinAsync([room], cancellationToken))[room].Error);
        var attacker = await RawHubSocket.ConnectAsync(Replica(0), SystemTokens.Mint(System, await SystemTokens.NewUserAsync(System)), cancellationToken);
        await attacker.HandshakeAsync(cancellationToken);
        await attacker.SendAsync(HubFraming.Invocation("join", LiveHubContract.JoinStream, room["stream:".Length..], null, null), cancellationToken);
        await Eventually.UntilAsync(() => attacker.CompletionsOf("join").Count == 1, "the attacker's join", Deadline);
        return (control, attacker, room);
    }

    /// <summary>Publishes 1..n around <paramref name="abuse"/> and checks the control client got all of them.</summary>
    private async Task ControlReceivesEverythingAsync(CollectingClient control, string room, Func<Task> abuse)
    {
        await Rooms.PublishManyAsync(room, 10);
        await abuse();
        await Rooms.PublishManyAsync(room, 10, startAt: 11);
        await control.WaitForSeqAsync(room, 20, Deadline);
        LiveClients.AssertExactly(control.In(room), 1, 20);
    }

    public static TheoryData<string> ClosingFrames() => ["oversized", "bad-json", "missing-separator", "unknown-type"];

    [Theory]
    [MemberData(nameof(ClosingFrames))]
    public async Task ABrokenFrameClosesTheConnectionAndTheRoomGoesOn(string kind)
    {
        using var cts = new CancellationTokenSource(Deadline);
        var (control, attacker, room) = await RoomWithAttackerAsync(cts.Token);
        await using var controlLease = control;
        await using var attackerLease = attacker;

        await ControlReceivesEverythingAsync(control, room, async () =>
        {
            switch (kind)
            {
                case "oversized":
                    await attacker.SendAsync(HubFraming.Invocation("big", LiveHubContract.Leave, new string('x', 40_000)), cts.Token);
                    break;
                case "bad-json":
                    await attacker.SendTextAsync(HubFraming.Frame("{\"type\":1,,\"target\":}"), cts.Token);
                    break;
                case "unknown-type":
                    await attacker.SendTextAsync(HubFraming.Frame("{\"type\":99,\"what\":\"ever\"}"), cts.Token);
                    break;
                case "missing-separator":
                    // Never terminated: the server buffers at most Edge:MaxMessageBytes of it, then closes.
                    for (var i = 0; i < 10; i++)
                    {
                        await attacker.SendTextAsync("{\"type\":6" + new string(' ', 5000), cts.Token);
                    }
                    break;
            }
            await attacker.Closed.WaitAsync(Deadline);
        });

        // SignalR's Close message (type 7) precedes the close; its error text is generic (no detail to an abuser).
        Assert.Contains(attacker.Messages, m => HubFraming.Type(m) == HubFraming.CloseType);
    }

    [Fact]
    public async Task AReusedInvocationIdIsAnsweredOncePerInvocationInOrder()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var (control, attacker, room) = await RoomWithAttackerAsync(cts.Token);
        await using var controlLease = control;
        await using var attackerLease = attacker;

        await ControlReceivesEverythingAsync(control, room, async () =>
        {
            await attacker.SendAsync(HubFraming.Invocation("same", LiveHubContract.Ping), cts.Token);
            await attacker.SendAsync(HubFraming.Invocation("same", LiveHubContract.Leave, ""), cts.Token);
            await Eventually.UntilAsync(() => attacker.CompletionsOf("same").Count == 2, "both completions of the reused id", Deadline);
        });
        var completions = attacker.CompletionsOf("same");
        Assert.True(completions[0].TryGetProperty("result", out _), string.Join(" | ", attacker.Messages));
        Assert.Contains("HubException: invalid_argument", completions[1].GetProperty("error").GetString());
    }

    public static TheoryData<string, string> WrongArguments() => new()
    {
        { LiveHubContract.JoinStream, "[123, \"x\", {}]" },
        { LiveHubContract.JoinStream, "[]" },
        { LiveHubContract.Resume, "[[1, 2]]" },
        { LiveHubContract.Resume, "[{\"stream:00000000-0000-0000-0000-000000000001\": {\"seq\": \"one\"}}]" },
        { LiveHubContract.Leave, "[{\"a\": 1}]" },
        { LiveHubContract.Leave, "[null]" },
        { LiveHubContract.JoinStream, $"[\"{Guid.NewGuid()}\", 5, \"{new string('e', 65)}\"]" },
        { "NoSuchMethod", "[]" },
    };

    [Theory]
    [MemberData(nameof(WrongArguments))]
    public async Task WrongArgumentsFailTheInvocationOnly(string target, string arguments)
    {
        using var cts = new CancellationTokenSource(Deadline);
        var (control, attacker, room) = await RoomWithAttackerAsync(cts.Token);
        await using var controlLease = control;
        await using var attackerLease = attacker;

        await ControlReceivesEverythingAsync(control, room, async () =>
        {
            await attacker.SendTextAsync(HubFraming.Frame($"{{\"type\":1,\"invocationId\":\"bad\",\"target\":\"{target}\",\"arguments\":{arguments}}}"), cts.Token);
            await Eventually.UntilAsync(() => attacker.CompletionsOf("bad").Count == 1, "the failed invocation's completion", Deadline);
        });

        var error = attacker.CompletionsOf("bad")[0].GetProperty("error").GetString()!;
        Assert.True(error.Contains("HubException: invalid_argument", StringComparison.Ordinal) || error.StartsWith("Failed to invoke", StringComparison.Ordinal)
            || error.StartsWith("Unknown hub method", StringComparison.Ordinal), error);
        await attacker.SendAsync(HubFraming.Invocation("ping", LiveHubContract.Ping), cts.Token);
        await Eventually.UntilAsync(() => attacker.CompletionsOf("ping").Count == 1, "a ping after the failed invocation", Deadline);
    }

    [Fact]
    public async Task AnInvocationFloodIsRateLimitedThenDisconnected()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var (control, attacker, room) = await RoomWithAttackerAsync(cts.Token);
        await using var controlLease = control;
        await using var attackerLease = attacker;

        await ControlReceivesEverythingAsync(control, room, async () =>
        {
            var flood = string.Concat(Enumerable.Range(0, 500).Select(i =>
                HubFraming.Serialize(HubFraming.Invocation($"f{i}", LiveHubContract.Ping))));
            await attacker.SendTextAsync(flood, cts.Token);
            await attacker.Closed.WaitAsync(Deadline);
        });

        var limited = attacker.CallsOf(nameof(ILiveClient.Error)).First(a => a[0].GetString() == HubErrorCodes.RateLimited);
        Assert.True(limited[2].GetInt32() > 0);
        Assert.Contains(attacker.Messages, m => HubFraming.Type(m) == HubFraming.CompletionType && m.TryGetProperty("error", out var e)
            && e.GetString()!.Contains("HubException: " + HubErrorCodes.RateLimited + ":", StringComparison.Ordinal));
        Assert.Contains(attacker.CallsOf(nameof(ILiveClient.Error)), a => a[0].GetString() == HubErrorCodes.InvocationFlood);
    }

    [Fact]
    public async Task AClientThatNeverCompletesTheHandshakeIsClosed()
    {
        using var cts = new CancellationTokenSource(Deadline);
        await using var silent = await RawHubSocket.ConnectAsync(Replica(0), SystemTokens.Mint(System, await SystemTokens.NewUserAsync(System)), cts.Token);
        var started = global::System.Diagnostics.Stopwatch.StartNew();
        silent.StartReading();

        await silent.Closed.WaitAsync(Deadline);

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"closed after {started.Elapsed}");
    }

    [Fact]
    public async Task AClientThatStopsReadingIsDroppedAndTheRoomKeepsReceiving()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var room = TestRooms.NewStreamRoom();
        await using var control = await ConnectAsync(Replica(0));
        Assert.Null((await control.Client.JoinAsync([room], cts.Token))[room].Error);
        await using var reader = await RawHubSocket.ConnectSmallBufferAsync(Replica(0), SystemTokens.Mint(System, await SystemTokens.NewUserAsync(System)), cts.Token);
        await reader.HandshakeAsync(cts.Token, read: false);
        await reader.SendAsync(HubFraming.Invocation("join", LiveHubContract.JoinStream, room["stream:".Length..], null, null), cts.Token);
        async Task<int> SlowReadersAsync() => (await System.LogLinesAsync()).Count(l => l.Contains("dropped as a slow reader", StringComparison.Ordinal));
        var before = await SlowReadersAsync();

        // About 8 MB of events, far more than the socket buffers and the transport's 64 KiB hold for a client that
        // reads nothing; the control client must get every one, in order, while the reader stalls.
        const int count = 1000;
        var padding = new string('x', 8000);
        for (var i = 1; i <= count; i++)
        {
            await Rooms.Publisher.PublishAsync(room, "test.event", JsonSerializer.SerializeToElement(new { n = i, padding }), null);
        }
        await control.WaitForSeqAsync(room, count, TimeSpan.FromSeconds(60));
        LiveClients.AssertExactly(control.In(room), 1, count);

        await Eventually.UntilAsync(async () => await SlowReadersAsync() > before, "the replica to drop the slow reader", TimeSpan.FromSeconds(30));
        reader.StartReading();
        await reader.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        var events = reader.CallsOf(nameof(ILiveClient.Events)).Sum(a => a[0].GetArrayLength());
        Assert.True(events < count, $"the stalled reader got {events} of {count} events before it was dropped");
    }
}
