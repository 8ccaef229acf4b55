using LiveAspire.Client;
using LiveAspire.Contracts.Realtime;
using Microsoft.AspNetCore.SignalR;
using static LiveAspire.Tests.Harness.Systems.ScriptedHubServer;

namespace LiveAspire.Tests.Client;

public sealed class LiveHubClientTests : IAsyncLifetime
{
    private ScriptedHubServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task HandshakeThenInvocationReturnsTheServersResult()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);

        var reply = await client.PingAsync().WaitAsync(Deadline);

        Assert.Equal("scripted", reply.Replica);
        Assert.Equal(LiveHubState.Connected, client.State);
        Assert.Equal("Bearer good-token", Assert.Single(_server.Script.UpgradeAuthorizations));
    }

    [Fact]
    public async Task AFailedInvocationThrowsWithTheServersMessage()
    {
        _server.Script.OnResume = (_, _) => throw new HubException("room exploded");
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);

        var error = await Assert.ThrowsAsync<LiveHubInvocationException>(() => client.JoinAsync(["stream:1"]).WaitAsync(Deadline));

        Assert.Contains("room exploded", error.Message);
        Assert.Equal("scripted", (await client.PingAsync().WaitAsync(Deadline)).Replica);
    }

    [Fact]
    public async Task EventsOfSeveralRoomsInOneFrameAreDeliveredInOrder()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1", "user:7"]).WaitAsync(Deadline);

        await _server.PushToLatestAsync(Envelope("stream:1", 1), Envelope("user:7", 1), Envelope("stream:1", 2));
        await _server.PushToLatestAsync(Envelope("stream:1", 3));

        var received = await client.ReadAsync(4);
        Assert.Equal(["stream:1#e1#1", "user:7#e1#1", "stream:1#e1#2", "stream:1#e1#3"], received.Select(e => e.Id));
        Assert.Equal("message 2", received[2].Data.GetProperty("text").GetString());
        Assert.Equal(new RoomPosition(3, "e1"), client.Positions["stream:1"]);
    }

    [Fact]
    public async Task AnEnvelopeWhoseIdWasDeliveredIsDropped()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1"]).WaitAsync(Deadline);

        // The relayed copy carries the same id under a new seq: still the same event.
        await _server.PushToLatestAsync(Envelope("stream:1", 1, id: "tip-1"), Envelope("stream:1", 2, id: "tip-1"), Envelope("stream:1", 2));

        var received = await client.ReadAsync(2);
        Assert.Equal([1L, 2L], received.Select(e => e.Seq));
        Assert.Equal(["tip-1", "stream:1#e1#2"], received.Select(e => e.Id));
        Assert.Equal(1, client.Counters.DuplicatesDropped);
    }

    [Fact]
    public async Task AnEnvelopeAtOrBelowTheRoomsLastSeqIsDropped()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1"]).WaitAsync(Deadline);

        await _server.PushToLatestAsync(Envelope("stream:1", 1), Envelope("stream:1", 2));
        await _server.PushToLatestAsync(Envelope("stream:1", 2, id: "other-2"), Envelope("stream:1", 1, id: "other-1"), Envelope("stream:1", 3));

        var received = await client.ReadAsync(3);
        Assert.Equal([1L, 2L, 3L], received.Select(e => e.Seq));
        Assert.Equal(2, client.Counters.StaleDropped);
        Assert.False(client.Events.TryRead(out _));
    }

    [Fact]
    public async Task AfterTheConnectionDropsTheClientReconnectsWithAFreshTokenAndResumesEveryJoinedRoom()
    {
        var tokens = 0;
        await using var client = _server.Client(_ => ValueTask.FromResult<string?>($"token-{Interlocked.Increment(ref tokens)}"));
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1", "user:7"]).WaitAsync(Deadline);
        await client.JoinStreamAsync("9").WaitAsync(Deadline);
        await _server.PushToLatestAsync(Envelope("stream:1", 1), Envelope("stream:1", 2), Envelope("user:7", 1));
        await client.ReadAsync(3);
        var reconnected = ClientTestHelpers.First<IReadOnlyDictionary<string, ResumeResult>>(h => client.Reconnected += h);
        // The replay is pushed before the Resume answer; the test pushes more after it: both reach the client in order.
        _server.Script.OnResume = async (connectionId, rooms) =>
        {
            await _server.PushAsync(connectionId, Envelope("stream:1", 3), Envelope("stream:1", 4));
            return rooms.ToDictionary(r => r.Key, r => new ResumeResult(true, "e1", r.Key == "stream:1" ? 4 : r.Value?.Seq ?? 0));
        };

        _server.DropConnection(await _server.ConnectionAsync(1));

        var second = await _server.ConnectionAsync(2);
        await reconnected;
        var resume = Assert.Single(_server.Script.ResumesOn(second));
        Assert.Equal(new RoomPosition(2, "e1"), resume["stream:1"]);
        Assert.Equal(new RoomPosition(1, "e1"), resume["user:7"]);
        Assert.Equal(new RoomPosition(0, "e1"), resume["stream:9"]);
        Assert.Equal(3, resume.Count);
        await _server.PushAsync(second, Envelope("stream:1", 4), Envelope("stream:1", 5));
        Assert.Equal([3L, 4L, 5L], (await client.ReadAsync(3)).Select(e => e.Seq));
        Assert.Equal(1, client.Counters.Reconnects);
        Assert.Equal(LiveHubState.Connected, client.State);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], _server.Script.UpgradeAuthorizations);
    }

    [Fact]
    public async Task AReconnectRequestMakesTheClientReconnectAndResume()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1"]).WaitAsync(Deadline);
        await _server.PushToLatestAsync(Envelope("stream:1", 1));
        await client.ReadAsync(1);
        var requested = ClientTestHelpers.First<string>(h => client.ReconnectRequested += h);
        var reconnected = ClientTestHelpers.First<IReadOnlyDictionary<string, ResumeResult>>(h => client.Reconnected += h);

        await _server.Hub.Clients.Client(await _server.ConnectionAsync(1)).Reconnect("draining").WaitAsync(Deadline);

        Assert.Equal("draining", await requested);
        await reconnected;
        var second = await _server.ConnectionAsync(2);
        Assert.Equal(new RoomPosition(1, "e1"), Assert.Single(_server.Script.ResumesOn(second))["stream:1"]);
        await _server.PushAsync(second, Envelope("stream:1", 2));
        Assert.Equal(2, (await client.ReadAsync(1))[0].Seq);
        Assert.Equal(1, client.Counters.Reconnects);
    }

    [Fact]
    public async Task ARevokedSessionIsNotReconnected()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        var revoked = ClientTestHelpers.First<string>(h => client.Revoked += h);

        await _server.Hub.Clients.Client(await _server.ConnectionAsync(1)).Revoked("logged out everywhere").WaitAsync(Deadline);

        Assert.Equal("logged out everywhere", await revoked);
        Assert.Equal(LiveHubState.Revoked, await client.Terminated.WaitAsync(Deadline));
        Assert.Equal(LiveHubState.Revoked, client.State);
        Assert.Equal("logged out everywhere", client.RevokedReason);
        await Eventually.UntilAsync(() => _server.Script.Open.IsEmpty, "the revoked connection to close", Deadline);
        Assert.Equal(1, client.Counters.ConnectAttempts);
        Assert.Single(_server.Script.ConnectionIds);
        await Assert.ThrowsAsync<LiveHubConnectionException>(() => client.PingAsync().WaitAsync(Deadline));
    }

    [Fact]
    public async Task ARevokedSessionThatTheServerClosesAtOnceIsRevokedNotClosedByServer()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        var connection = await _server.ConnectionAsync(1);
        HoldEventsUntilTheConnectionCloses(client);

        // As the Realtime service does: Revoked, then a Close without allowReconnect right behind it.
        await _server.Hub.Clients.Client(connection).Error("rate_limited", "slow down", 100).WaitAsync(Deadline);
        await _server.Hub.Clients.Client(connection).Revoked("banned").WaitAsync(Deadline);
        _server.AbortHubConnection(connection);

        Assert.Equal(LiveHubState.Revoked, await client.Terminated.WaitAsync(Deadline));
        Assert.Equal("banned", client.RevokedReason);
        Assert.Equal(1, client.Counters.ConnectAttempts);
    }

    [Fact]
    public async Task AReconnectRequestFollowedAtOnceByACloseWithoutAllowReconnectStillReconnects()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1"]).WaitAsync(Deadline);
        var reconnected = ClientTestHelpers.First<IReadOnlyDictionary<string, ResumeResult>>(h => client.Reconnected += h);
        var first = await _server.ConnectionAsync(1);
        HoldEventsUntilTheConnectionCloses(client);

        await _server.Hub.Clients.Client(first).Error("rate_limited", "slow down", 100).WaitAsync(Deadline);
        await _server.Hub.Clients.Client(first).Reconnect(ReconnectReasons.SlowConsumer).WaitAsync(Deadline);
        _server.AbortHubConnection(first);

        await reconnected;
        Assert.Single(_server.Script.ResumesOn(await _server.ConnectionAsync(2)));
        Assert.Equal(LiveHubState.Connected, client.State);
    }

    /// <summary>A slow app handler of the first <c>Error</c>: it returns only once the client has seen its connection
    /// close, so whatever the server sent after the Error is still waiting to be handled when the Close arrives.</summary>
    private static void HoldEventsUntilTheConnectionCloses(LiveHubClient client)
    {
        var held = 0;
        client.ErrorReceived += _ =>
        {
            if (Interlocked.Exchange(ref held, 1) == 0)
            {
                Eventually.UntilAsync(async () =>
                {
                    try
                    {
                        await client.PingAsync();
                        return false;
                    }
                    catch (LiveHubConnectionException)
                    {
                        return true;
                    }
                }, "the client to see its connection close", Deadline).GetAwaiter().GetResult();
            }
        };
    }

    [Fact]
    public async Task ACloseMessageThatAllowsReconnectMakesTheClientReconnect()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1"]).WaitAsync(Deadline);
        var reconnected = ClientTestHelpers.First<IReadOnlyDictionary<string, ResumeResult>>(h => client.Reconnected += h);

        _server.RequestClose(await _server.ConnectionAsync(1));

        await reconnected;
        Assert.Single(_server.Script.ResumesOn(await _server.ConnectionAsync(2)));
        Assert.Equal(1, client.Counters.Reconnects);
    }

    [Fact]
    public async Task ACloseMessageWithoutAllowReconnectStopsTheClient()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);

        _server.AbortHubConnection(await _server.ConnectionAsync(1));

        Assert.Equal(LiveHubState.ClosedByServer, await client.Terminated.WaitAsync(Deadline));
        Assert.Equal(1, client.Counters.ConnectAttempts);
    }

    [Fact]
    public async Task A401OnTheFirstUpgradeFailsConnectWithoutRetrying()
    {
        _server.Script.RejectedTokens["bad"] = true;
        await using var client = _server.Client(_ => ValueTask.FromResult<string?>("bad"));

        await Assert.ThrowsAsync<LiveHubUnauthorizedException>(() => client.ConnectAsync().WaitAsync(Deadline));

        Assert.Equal(LiveHubState.Unauthorized, await client.Terminated.WaitAsync(Deadline));
        Assert.Equal(1, client.Counters.ConnectAttempts);
        Assert.Single(_server.Script.UpgradeAuthorizations);
    }

    [Fact]
    public async Task A401WhileReconnectingStopsTheClientInsteadOfLooping()
    {
        _server.Script.RejectedTokens["expired"] = true;
        var calls = 0;
        await using var client = _server.Client(_ => ValueTask.FromResult<string?>(Interlocked.Increment(ref calls) == 1 ? "fresh" : "expired"));
        await client.ConnectAsync().WaitAsync(Deadline);

        _server.DropConnection(await _server.ConnectionAsync(1));

        Assert.Equal(LiveHubState.Unauthorized, await client.Terminated.WaitAsync(Deadline));
        Assert.Equal(2, client.Counters.ConnectAttempts);
        Assert.Equal(["Bearer fresh", "Bearer expired"], _server.Script.UpgradeAuthorizations);
    }

    [Fact]
    public async Task AnUnrecoveredRoomRaisesRoomResetAndContinuesFromTheNewPosition()
    {
        _server.Script.OnResume = (_, rooms) => Task.FromResult(rooms.ToDictionary(r => r.Key, _ => new ResumeResult(false, "e2", 42)));
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        var reset = ClientTestHelpers.First<RoomReset>(h => client.RoomReset += h);

        var results = await client.JoinAsync(new Dictionary<string, RoomPosition?> { ["stream:1"] = new(5, "old") }).WaitAsync(Deadline);

        Assert.False(results["stream:1"].Recovered);
        Assert.Equal(new RoomReset("stream:1", "e2", 42), await reset);
        Assert.Equal(new RoomPosition(42, "e2"), client.Positions["stream:1"]);
        await _server.PushToLatestAsync(Envelope("stream:1", 42, "e2"), Envelope("stream:1", 43, "e2"));
        Assert.Equal(43, (await client.ReadAsync(1))[0].Seq);
        Assert.Equal(1, client.Counters.RoomResets);
    }

    [Fact]
    public async Task AGapMarkerResumesThatRoomFromItsLastSeq()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1", "user:7"]).WaitAsync(Deadline);
        await _server.PushToLatestAsync(Envelope("stream:1", 1), Envelope("stream:1", 2), Envelope("stream:1", 3));
        await client.ReadAsync(3);
        _server.Script.OnResume = async (connectionId, rooms) =>
        {
            await _server.PushAsync(connectionId, Envelope("stream:1", 4), Envelope("stream:1", 5), Envelope("stream:1", 6));
            return new Dictionary<string, ResumeResult> { ["stream:1"] = new(true, "e1", 6) };
        };

        await _server.PushToLatestAsync(Gap("stream:1", 4, 6));

        Assert.Equal([4L, 5L, 6L], (await client.ReadAsync(3)).Select(e => e.Seq));
        var resume = _server.Script.ResumesOn(_server.Script.LatestConnectionId).Last();
        Assert.Equal(new RoomPosition(3, "e1"), Assert.Single(resume).Value);
        Assert.Equal(1, client.Counters.GapResumes);
    }

    [Fact]
    public async Task AnEnvelopeThatSkipsAheadIsHeldBackUntilTheResumeReplaysTheMissingOnes()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1"]).WaitAsync(Deadline);
        _server.Script.OnResume = async (connectionId, rooms) =>
        {
            await _server.PushAsync(connectionId, Envelope("stream:1", 2), Envelope("stream:1", 3));
            return new Dictionary<string, ResumeResult> { ["stream:1"] = new(true, "e1", 3) };
        };

        await _server.PushToLatestAsync(Envelope("stream:1", 1), Envelope("stream:1", 3));

        Assert.Equal([1L, 2L, 3L], (await client.ReadAsync(3)).Select(e => e.Seq));
        Assert.Equal(1, client.Counters.OutOfOrderDropped);
        Assert.Equal(new RoomPosition(1, "e1"), Assert.Single(_server.Script.ResumesOn(_server.Script.LatestConnectionId).Last()).Value);
    }

    [Fact]
    public async Task LeftRoomsAreNotResumedAfterAReconnect()
    {
        await using var client = _server.Client();
        await client.ConnectAsync().WaitAsync(Deadline);
        await client.JoinAsync(["stream:1", "stream:2"]).WaitAsync(Deadline);
        await client.LeaveAsync("stream:2").WaitAsync(Deadline);
        var reconnected = ClientTestHelpers.First<IReadOnlyDictionary<string, ResumeResult>>(h => client.Reconnected += h);

        _server.DropConnection(await _server.ConnectionAsync(1));

        await reconnected;
        Assert.Equal(["stream:1"], Assert.Single(_server.Script.ResumesOn(await _server.ConnectionAsync(2))).Keys);
    }

    [Fact]
    public async Task ARoomRefusedWithRedisUnavailableStaysJoinedAndIsAskedAgainUntilTheServerJoinsIt()
    {
        // Redis is unavailable for the first two answers, then the server joins the room.
        var answers = new System.Collections.Concurrent.ConcurrentQueue<ResumeResult>(
            [new(false, null, 0, HubErrorCodes.RedisUnavailable), new(false, null, 0, HubErrorCodes.RedisUnavailable)]);
        _server.Script.OnResume = (_, rooms) => Task.FromResult(rooms.ToDictionary(r => r.Key,
            _ => answers.TryDequeue(out var answer) ? answer : new ResumeResult(true, "e1", 2)));
        var refused = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var client = _server.Client(configure: o => o.RoomRetryDelay = TimeSpan.FromMilliseconds(100));
        client.RoomRefused += (_, code) => refused.Enqueue(code);
        await client.ConnectAsync().WaitAsync(Deadline);

        var first = await client.JoinAsync(["stream:1"]).WaitAsync(Deadline);

        Assert.Equal(HubErrorCodes.RedisUnavailable, first["stream:1"].Error);
        await Eventually.UntilAsync(() => _server.Script.ResumesOn(_server.Script.LatestConnectionId).Count() == 3,
            "the client to ask for the room again until it is joined");
        await _server.PushToLatestAsync(Envelope("stream:1", 3));
        Assert.Equal([3L], (await client.ReadAsync(1)).Select(e => e.Seq));
        Assert.Equal(new RoomPosition(3, "e1"), client.Positions["stream:1"]);
        Assert.Empty(refused); // retryable: not a refusal
        Assert.Equal(3, _server.Script.ResumesOn(_server.Script.LatestConnectionId).Count()); // and not asked again once joined
    }
}
