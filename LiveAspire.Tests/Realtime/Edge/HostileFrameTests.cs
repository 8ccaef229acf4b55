using System.Net.WebSockets;
using System.Text;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>
/// The hostile-frame corpus (docs/realtime.md, "Hostile frames"): what a client may send that no well-behaved one
/// does, each case with its documented reaction, sent to one replica while a control client on the same replica is
/// in a room that receives a numbered event after every case. The corpus runs twice: the first run warms the replica
/// (JIT, pools, caches), the second is measured, and the replica's managed heap after a forced collection must end
/// within 5 MB of where it was before it.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class HostileFrameTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>How much the managed heap may grow over one run of the corpus.</summary>
    private const long HeapSlackBytes = 5 * 1024 * 1024;

    /// <summary>What a case sends, and the reaction docs/realtime.md documents for it (<see cref="ObserveAsync"/>'s words).</summary>
    private sealed record Case(string Name, bool BeforeHandshake, Func<RawHubSocket, CancellationToken, Task> Send, string Expected);

    private static string Frame(string json) => HubFraming.Frame(json);

    private static Func<RawHubSocket, CancellationToken, Task> Text(string text) => (s, ct) => s.SendTextAsync(text, ct);

    private static Func<RawHubSocket, CancellationToken, Task> Bytes(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text)
        => (s, ct) => s.SendBytesAsync(bytes, type, ct);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private const string Closed = "closed with Close(error), 1000";
    private const string HandshakeRefused = "closed after a handshake error, 1000";
    private const string Ignored = "open, no answer";

    private static string Answered(string result) => $"open, h: {result}";

    private static IReadOnlyList<Case> Corpus()
    {
        var ping = Frame($"{{\"type\":1,\"invocationId\":\"h\",\"target\":\"{LiveHubContract.Ping}\",\"arguments\":[]}}");
        return
        [
            // Before the handshake
            new("garbage before the handshake", true, Text(Frame("GET / HTTP/1.1")), HandshakeRefused),
            new("binary garbage before the handshake", true, Bytes([0xFF, 0x00, 0x13, 0x37, 0x1E], WebSocketMessageType.Binary), HandshakeRefused),
            new("a JSON array as the handshake", true, Text(Frame("[\"json\",1]")), HandshakeRefused),
            new("an unknown protocol", true, Text(Frame("{\"protocol\":\"messagepack\",\"version\":1}")), HandshakeRefused),
            new("an unsupported protocol version", true, Text(Frame("{\"protocol\":\"json\",\"version\":99}")), HandshakeRefused),
            new("a number as the protocol name", true, Text(Frame("{\"protocol\":1,\"version\":1}")), HandshakeRefused),
            new("a handshake without its terminator", true, Text("{\"protocol\":\"json\",\"version\":1}"), HandshakeRefused),
            new("an invocation instead of the handshake", true, Text(ping), HandshakeRefused),
            // After the handshake: frames that close the connection
            new("a second handshake", false, Text(HubFraming.Handshake), Closed),
            new("a JSON array instead of an object", false, Text(Frame("[1,2,3]")), Closed),
            new("a JSON string instead of an object", false, Text(Frame("\"ping\"")), Closed),
            new("null instead of an object", false, Text(Frame("null")), Closed),
            new("an empty record", false, Text(Frame("")), Closed),
            new("an unknown message type", false, Text(Frame("{\"type\":99}")), Closed),
            new("message type zero", false, Text(Frame("{\"type\":0}")), Closed),
            new("a string as the message type", false, Text(Frame("{\"type\":\"1\",\"invocationId\":\"h\",\"target\":\"Ping\",\"arguments\":[]}")), Closed),
            new("a number as the invocation id", false, Text(Frame("{\"type\":1,\"invocationId\":5,\"target\":\"Ping\",\"arguments\":[]}")), Closed),
            new("a number as the target", false, Text(Frame("{\"type\":1,\"invocationId\":\"h\",\"target\":5,\"arguments\":[]}")), Closed),
            new("an invocation without a target", false, Text(Frame("{\"type\":1,\"invocationId\":\"h\",\"arguments\":[]}")), Closed),
            new("an object as the arguments", false, Text(Frame("{\"type\":1,\"invocationId\":\"h\",\"target\":\"Ping\",\"arguments\":{\"a\":1}}")), Closed),
            new("a header that is not a string", false, Text(Frame("{\"type\":6,\"headers\":{\"a\":1}}")), Closed),
            new("a record cut by a terminator mid-JSON", false, Text(Frame("{\"type\":1,\"invoc") + ping), Closed),
            new("a record without its terminator, then a complete one", false, Text("{\"type\":6}" + ping), Closed),
            new("two JSON objects in one record", false, Text(Frame("{\"type\":6}{\"type\":6}")), Closed),
            new("a NUL byte after the JSON", false, Text(Frame("{\"type\":6}\0")), Closed),
            new("deeply nested arguments", false, Text(Frame($"{{\"type\":1,\"invocationId\":\"h\",\"target\":\"Leave\",\"arguments\":[{new string('[', 2000)}{new string(']', 2000)}]}}")), Closed),
            new("a number too large for any type", false, Text(Frame("{\"type\":1e400}")), Closed),
            new("an invocation id larger than a message", false, Text(Frame($"{{\"type\":1,\"invocationId\":\"{new string('9', 40_000)}\",\"target\":\"Ping\",\"arguments\":[]}}")), Closed),
            new("a 10 MB frame", false, SendHugeAsync, Closed),
            new("invalid UTF-8 in a binary message", false, Bytes(Concat(Utf8("{\"type\":1,\"invocationId\":\"h\",\"target\":\""), [0xC3, 0x28, 0xFF], Utf8("\",\"arguments\":[]}\u001e")), WebSocketMessageType.Binary), Closed),
            new("invalid UTF-8 in a text message", false, Bytes(Concat(Utf8("{\"type\":1,\"invocationId\":\"h\",\"target\":\""), [0xC3, 0x28, 0xFF], Utf8("\",\"arguments\":[]}\u001e"))), "closed, 1007"),
            // After the handshake: frames that fail only their invocation, or are ignored
            new("a completion for an unknown invocation id", false, Text(Frame("{\"type\":3,\"invocationId\":\"nope\",\"result\":1}")), Ignored),
            new("a completion with an error for an unknown invocation id", false, Text(Frame("{\"type\":3,\"invocationId\":\"nope\",\"error\":\"boom\"}")), Ignored),
            new("a stream item for an unknown stream", false, Text(Frame("{\"type\":2,\"invocationId\":\"nope\",\"item\":1}")), Ignored),
            new("a cancel for an unknown invocation", false, Text(Frame("{\"type\":5,\"invocationId\":\"nope\"}")), Ignored),
            new("a stream invocation of a method that does not stream", false, Text(Frame("{\"type\":4,\"invocationId\":\"h\",\"target\":\"Ping\",\"arguments\":[]}")),
                Answered("error: The client attempted to invoke the non-streaming 'Ping' method with a streaming invocation.")),
            new("stream ids on a method that takes no stream", false, Text(Frame("{\"type\":1,\"invocationId\":\"h\",\"target\":\"Ping\",\"arguments\":[],\"streamIds\":[\"s1\"]}")),
                Answered("error: An unexpected error occurred invoking 'Ping' on the server. HubException: Client sent 1 stream(s), Hub method expects 0.")),
            new("an unknown method", false, Text(Frame("{\"type\":1,\"invocationId\":\"h\",\"target\":\"OnConnectedAsync\",\"arguments\":[]}")),
                Answered($"error: Failed to invoke 'OnConnectedAsync' due to an error on the server. HubException: {HubErrorCodes.InvalidArgument}: no hub method has this name")),
            new("an unknown method without an invocation id", false, Text(Frame("{\"type\":1,\"target\":\"NoSuchMethod\",\"arguments\":[]}")), Ignored),
            new("a close message from the client", false, Text(Frame("{\"type\":7}")), "closed, 1000"),
            new("an escaped NUL in the invocation id", false, Text(Frame($"{{\"type\":1,\"invocationId\":\"h\\u0000x\",\"target\":\"{LiveHubContract.Ping}\",\"arguments\":[]}}")), Ignored),
            new("a huge invocation id under the message limit", false, Text(Frame($"{{\"type\":1,\"invocationId\":\"h{new string('9', 30_000)}\",\"target\":\"{LiveHubContract.Ping}\",\"arguments\":[]}}")), Ignored),
            new("many records in one frame", false, Text(string.Concat(Enumerable.Repeat(HubFraming.Ping, 20)) + ping), Answered("result")),
        ];
    }

    /// <summary>10 MB in one message; the replica may close before it has all of it, which ends the send early.</summary>
    private static async Task SendHugeAsync(RawHubSocket socket, CancellationToken cancellationToken)
    {
        var json = $"{{\"type\":1,\"invocationId\":\"h\",\"target\":\"Leave\",\"arguments\":[\"{new string('x', 10 * 1024 * 1024)}\"]}}";
        try
        {
            await socket.SendTextAsync(Frame(json), cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
        }
    }

    [Fact]
    public async Task EveryHostileFrameGetsItsDocumentedReactionWhileTheRoomGoesOnAndTheHeapStaysFlat()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var corpus = Corpus();
        var room = TestRooms.NewStreamRoom();
        await using var control = await ConnectAsync(Replica(0));
        Assert.Null((await control.Client.JoinAsync([room], cts.Token))[room].Error);
        var users = await SystemTokens.NewUsersAsync(System, 2 * corpus.Count);
        var published = 0;

        // Warm-up: the same corpus, so the measured run starts with everything it touches already allocated once.
        var warmUp = await RunAsync(corpus, users.Take(corpus.Count), room, () => ++published, cts.Token);
        var before = await CollectAsync();
        var measured = await RunAsync(corpus, users.Skip(corpus.Count), room, () => ++published, cts.Token);

        await control.WaitForSeqAsync(room, published, Deadline);
        LiveClients.AssertExactly(control.In(room), 1, published);
        Assert.True(corpus.Count >= 30);
        var wrong = corpus.Select((c, i) => (c, warmUp[i], measured[i]))
            .Where(x => x.Item2 != x.c.Expected || x.Item3 != x.c.Expected)
            .Select(x => $"{x.c.Name}: expected \"{x.c.Expected}\", got \"{x.Item2}\" then \"{x.Item3}\"").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        // The replica lets go of a closed connection's state asynchronously: wait (bounded) for the heap to come back.
        await Eventually.UntilAsync(async () => await CollectAsync() - before <= HeapSlackBytes,
            "the replica's heap after a forced collection to come back within 5 MB of its level before the corpus", Deadline);
    }

    /// <summary>
    /// The HTTP transports take the same records in POST bodies (long polling and Server-Sent Events), plus requests
    /// of their own: each case says what the POST was answered and whether the connection ended.
    /// </summary>
    [Fact]
    public async Task HostileRecordsOverTheHttpTransportsGetTheirDocumentedReaction()
    {
        using var client = new EdgeClient(Replica(0), "127.0.0.45");
        var users = await SystemTokens.NewUsersAsync(System, 6);
        var tokens = users.Select(u => SystemTokens.Mint(System, u)).ToList();
        var observed = new List<string>();
        async Task<string> OverAsync(bool eventStream, string token, string body)
        {
            var id = await client.NegotiatedIdAsync(token);
            var attempt = eventStream ? await client.EventStreamAsync(token, id) : await client.LongPollingAsync(token, id);
            await using var connection = attempt.Open;
            using var request = client.Request(HttpMethod.Post, $"{LiveHubContract.Path}?id={Uri.EscapeDataString(id)}", token);
            request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
            using var cts = new CancellationTokenSource(Deadline);
            using var response = await client.Http.SendAsync(request, cts.Token);
            await connection.Closed.WaitAsync(Deadline);
            return $"{(int)response.StatusCode}, closed";
        }

        observed.Add(await OverAsync(eventStream: false, tokens[0], Frame("{\"type\":99}")));
        observed.Add(await OverAsync(eventStream: false, tokens[1], Frame("[1,2,3]")));
        observed.Add(await OverAsync(eventStream: true, tokens[2], Frame("{\"type\":6}{\"type\":6}")));
        observed.Add(await OverAsync(eventStream: true, tokens[3], HubFraming.Handshake));
        using (var cts = new CancellationTokenSource(Deadline))
        using (var unknown = client.Request(HttpMethod.Post, $"{LiveHubContract.Path}?id=no-such-connection", tokens[4]))
        {
            unknown.Content = new StringContent(Frame("{\"type\":6}"), Encoding.UTF8, "text/plain");
            using var response = await client.Http.SendAsync(unknown, cts.Token);
            observed.Add($"{(int)response.StatusCode}");
        }
        using (var cts = new CancellationTokenSource(Deadline))
        using (var negotiate = client.Request(HttpMethod.Post, $"{LiveHubContract.Path}/negotiate?negotiateVersion=abc", tokens[5]))
        {
            using var response = await client.Http.SendAsync(negotiate, cts.Token);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cts.Token));
            var error = body.RootElement.TryGetProperty("error", out var e) ? e.GetString() : "none";
            observed.Add($"{(int)response.StatusCode}, error: {error}");
        }

        Assert.Equal(["200, closed", "200, closed", "200, closed", "200, closed", "404",
            "200, error: The client requested a non-integer protocol version."], observed);
    }

    /// <summary>Runs every case on a connection of its own, publishing one event to the control's room after each.</summary>
    private async Task<List<string>> RunAsync(IReadOnlyList<Case> corpus, IEnumerable<Guid> users, string room, Func<int> next, CancellationToken cancellationToken)
    {
        var observed = new List<string>();
        foreach (var (c, user) in corpus.Zip(users))
        {
            observed.Add(await ObserveAsync(c, user, cancellationToken));
            await Rooms.PublishAsync(room, next());
        }
        return observed;
    }

    /// <summary>
    /// Sends the case, then (unless the case should close the connection) a Ping invocation (id <c>probe</c>), and
    /// waits until the connection is closed or the probe answered. Says what happened: <c>closed</c> (with SignalR's Close message if one came, and the WebSocket close
    /// status), or <c>open</c> with what invocation <c>h</c> got.
    /// </summary>
    private async Task<string> ObserveAsync(Case c, Guid user, CancellationToken cancellationToken)
    {
        await using var socket = await RawHubSocket.ConnectAsync(Replica(0), SystemTokens.Mint(System, user), cancellationToken);
        socket.StartReading();
        if (!c.BeforeHandshake)
        {
            await socket.SendTextAsync(HubFraming.Handshake, cancellationToken);
            await Eventually.UntilAsync(() => socket.Messages.Any(m => HubFraming.Type(m) == -1), "the handshake's answer", Deadline);
        }
        await c.Send(socket, cancellationToken);
        // A case that should close is not probed: a probe sent as the replica closes makes the replica's kernel answer
        // with a reset, which can discard its close frame before this side reads it. Should it stay open, the wait
        // below fails, naming the case.
        if (!c.BeforeHandshake && !socket.Closed.IsCompleted && !c.Expected.StartsWith("closed", StringComparison.Ordinal))
        {
            try
            {
                await socket.SendAsync(HubFraming.Invocation("probe", LiveHubContract.Ping), cancellationToken);
            }
            catch (Exception e) when (e is WebSocketException or IOException)
            {
            }
        }
        await Eventually.UntilAsync(() => socket.Closed.IsCompleted || socket.CompletionsOf("probe").Count == 1,
            $"{c.Name}: the connection closed or the probe answered", Deadline);
        if (socket.Closed.IsCompleted)
        {
            var refused = socket.Messages.Any(m => HubFraming.Type(m) == -1 && m.TryGetProperty("error", out _)) ? " after a handshake error" : "";
            var close = socket.Messages.Any(m => HubFraming.Type(m) == HubFraming.CloseType && m.TryGetProperty("error", out _)) ? " with Close(error)" : "";
            var status = socket.CloseStatus is { } s ? $", {(int)s}" : ", no close frame";
            return $"closed{refused}{close}{status}";
        }
        var answers = socket.Messages.Where(m => HubFraming.Type(m) == HubFraming.CompletionType
            && m.GetProperty("invocationId").GetString() == "h").ToList();
        return answers.Count == 0 ? "open, no answer"
            : $"open, h: {string.Join("; ", answers.Select(a => a.TryGetProperty("error", out var e) ? $"error: {e.GetString()}" : "result"))}";
    }

    /// <summary>The replica's managed heap after a forced full collection (the Testing-only route).</summary>
    private async Task<long> CollectAsync()
    {
        using var http = new HttpClient { BaseAddress = Replica(0), Timeout = Deadline };
        using var response = await http.PostAsync("/replica/gc", null);
        response.EnsureSuccessStatusCode();
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return report.RootElement.GetProperty("heapSizeBytes").GetInt64();
    }
}
