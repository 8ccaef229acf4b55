using System.Reflection;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Realtime.Hubs;
using Microsoft.AspNetCore.Mvc;

namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>
/// No hub argument produces the generic server error (issue 12 item 2). Every public method of <see cref="LiveHub"/>
/// (found by reflection, as SignalR finds them) gets the hostile corpus (<see cref="InputCorpus"/>) in each argument,
/// one at a time with the others valid, plus a missing and an extra argument. Every answer must be a Completion whose
/// error carries a documented code (<c>HubException: code: ...</c>), a <c>ResumeResult</c> whose error is a documented
/// code, or a result where the table below says why the value may be accepted; the connection stays open and no
/// table's row count changes. A hub method without an entry in the table fails the test, naming it.
/// </summary>
[Collection(InputCorpusCollection.Name)]
public sealed class HubArgumentCorpusTests(InputCorpusFixture system)
{
    /// <summary>Under <c>Edge:MaxMessageBytes</c> (32 KiB) even escaped, so the value reaches binding instead of closing the connection.</summary>
    private const int HugeLength = 4000;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private const int BatchSize = 25;

    private static readonly HashSet<string> Codes = [.. HubErrorCodes.All];

    /// <summary>The accounts and rooms the corpus uses.</summary>
    private sealed record World(Guid Me, Guid Other)
    {
        public string UserRoom => $"user:{Me:D}";

        public string DmRoom => Me.CompareTo(Other) < 0 ? $"dm:{Me:D}:{Other:D}" : $"dm:{Other:D}:{Me:D}";
    }

    /// <summary>A method's valid arguments (JSON), how a corpus value is placed in each, and which arguments may take a hostile value without an error.</summary>
    private sealed record Entry(Func<World, string[]> Arguments)
    {
        /// <summary>Per argument: the value in context (default: the value itself).</summary>
        public Func<World, string, string>?[] Shapes { get; init; } = [];

        /// <summary>Arguments for which a plain result is a correct answer, with the reason in the table.</summary>
        public IReadOnlySet<int> MayAccept { get; init; } = new HashSet<int>();
    }

    private static Dictionary<string, Entry> Entries() => new(StringComparer.Ordinal)
    {
        // A room answers for itself in its ResumeResult (room_invalid, room_forbidden); a null position joins live.
        [LiveHubContract.Resume] = new(w => [$"{{{Q(w.UserRoom)}:null}}"])
        {
            Shapes = [(w, v) => v.StartsWith('"') ? $"{{{v}:null}}" : $"{{{Q(w.UserRoom)}:{v}}}"],
            MayAccept = new HashSet<int> { 0 },
        },
        [LiveHubContract.JoinStream] = new(w => [Q(w.Me.ToString("D")), "null", "null"]),
        [LiveHubContract.Leave] = new(w => [Q(w.UserRoom)]),
        [LiveHubContract.GetPresence] = new(w => [$"[{Q(w.Other.ToString("D"))}]"]) { Shapes = [(_, v) => $"[{v}]"] },
        // Typing's data is a hint: anything but {typing:false} means "typing", by design.
        [LiveHubContract.Typing] = new(w => [Q(w.DmRoom), "null"]) { MayAccept = new HashSet<int> { 1 } },
        // No channel has the user's id: whatever the text, the call ends in a documented refusal and stores nothing
        // (the text rule first, then channel_not_found; a bad replyToId or clientMsgId is invalid_argument).
        [LiveHubContract.SendChat] = new(w => [Q(w.Me.ToString("D")), Q("hello"), "null", Q("corpus-message")]),
        [LiveHubContract.Ping] = new(_ => []),
        // Any number is a timestamp the server did not send: ignored, as a late answer is.
        [LiveHubContract.HeartbeatAck] = new(_ => ["0"]) { MayAccept = new HashSet<int> { 0 } },
    };

    private static string Q(string text) => InputCorpus.Quote(text);

    /// <summary>Client-visible hub methods and their argument count, as SignalR's reflection sees them.</summary>
    private static Dictionary<string, int> HubMethods() => typeof(LiveHub)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(LiveHub))
        .ToDictionary(m => m.Name, m => m.GetParameters().Count(p =>
            p.GetCustomAttribute<FromServicesAttribute>() is null && p.ParameterType != typeof(CancellationToken)), StringComparer.Ordinal);

    [Fact]
    public async Task EveryHubMethodAnswersTheHostileCorpusWithADocumentedCodeAndTheConnectionStaysOpen()
    {
        var methods = HubMethods();
        var entries = Entries();
        var uncovered = methods.Keys.Where(m => !entries.ContainsKey(m)).Order().ToList();
        Assert.True(uncovered.Count == 0, $"hub methods without corpus coverage (add an entry to HubArgumentCorpusTests): {string.Join(", ", uncovered)}");
        var stale = entries.Keys.Where(k => !methods.ContainsKey(k)).ToList();
        Assert.True(stale.Count == 0, $"entries for methods the hub does not have: {string.Join(", ", stale)}");

        var users = await SystemTokens.NewUsersAsync(system, 2);
        var world = new World(users[0], users[1]);
        var cases = new List<(string Name, string Target, string Arguments, bool MayAccept)>();
        foreach (var (method, arity) in methods)
        {
            var entry = entries[method];
            var valid = entry.Arguments(world);
            Assert.True(valid.Length == arity, $"{method} takes {arity} arguments; its entry gives {valid.Length}");
            cases.Add(($"{method} with no arguments", method, "[]", arity == 0));
            cases.Add(($"{method} with an extra argument", method, $"[{string.Join(",", valid.Append("1"))}]", false));
            for (var i = 0; i < arity; i++)
            {
                foreach (var value in InputCorpus.All(HugeLength).Where(v => v.Json != valid[i]))
                {
                    var arguments = (string[])valid.Clone();
                    var shape = i < entry.Shapes.Length ? entry.Shapes[i] : null;
                    arguments[i] = value.Json;
                    cases.Add(($"{method} arg {i}={value.Name}", method, $"[{string.Join(",", arguments)}]", entry.MayAccept.Contains(i)));
                    if (shape is not null)
                    {
                        arguments[i] = shape(world, value.Json);
                        cases.Add(($"{method} arg {i}=shaped {value.Name}", method, $"[{string.Join(",", arguments)}]", entry.MayAccept.Contains(i)));
                    }
                }
            }
        }
        var before = await system.RowCountsAsync();

        var failures = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var socket = await ConnectAsync(world.Me, cts.Token);
        try
        {
            // Batches: invocations of one connection run in order, so the first unanswered one of a batch on a closed
            // connection is the one that closed it; the rest are sent again on a new connection.
            var pending = new Queue<int>(Enumerable.Range(0, cases.Count));
            var suspects = new HashSet<int>();
            while (pending.Count > 0)
            {
                // A case that was in flight when a connection closed goes alone, so the one that closed it is known.
                var batch = new List<int> { pending.Dequeue() };
                while (!suspects.Contains(batch[0]) && batch.Count < BatchSize && pending.Count > 0 && !suspects.Contains(pending.Peek()))
                {
                    batch.Add(pending.Dequeue());
                }
                foreach (var i in batch)
                {
                    var (_, target, arguments, _) = cases[i];
                    await socket.SendTextAsync(HubFraming.Frame($"{{\"type\":1,\"invocationId\":\"c{i}\",\"target\":\"{target}\",\"arguments\":{arguments}}}"), cts.Token);
                }
                await Task.WhenAny(socket.Closed, Eventually.UntilAsync(() => batch.All(i => socket.CompletionsOf($"c{i}").Count > 0), "the batch's completions", Deadline));
                var unanswered = batch.Where(i => socket.CompletionsOf($"c{i}").Count == 0).ToList();
                foreach (var i in batch.Except(unanswered))
                {
                    if (Check(socket.CompletionsOf($"c{i}")[0], cases[i].MayAccept) is { } failure)
                    {
                        failures.Add($"{cases[i].Name}: {failure}");
                    }
                }
                if (unanswered.Count > 0)
                {
                    if (batch.Count == 1 && !(socket.Closed.IsCompleted && cases[batch[0]].Name.Contains(ClosingValue, StringComparison.Ordinal) && ClosedWithError(socket)))
                    {
                        failures.Add($"{cases[batch[0]].Name}: no completion, the connection {(socket.Closed.IsCompleted ? "closed" : "hung")} ({Last(socket)})");
                    }
                    else if (batch.Count > 1)
                    {
                        suspects.UnionWith(unanswered);
                        pending = new Queue<int>(unanswered.Concat(pending));
                    }
                    await socket.DisposeAsync();
                    socket = await ConnectAsync(world.Me, cts.Token);
                }
            }
            await socket.SendAsync(HubFraming.Invocation("last-ping", LiveHubContract.Ping), cts.Token);
            await Eventually.UntilAsync(() => socket.CompletionsOf("last-ping").Count == 1, "a ping after the corpus", Deadline);
        }
        finally
        {
            await socket.DisposeAsync();
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} answers were wrong:\n{string.Join("\n", failures.Take(60))}");
        Assert.Equal(before, await system.RowCountsAsync());
    }

    private async Task<RawHubSocket> ConnectAsync(Guid user, CancellationToken cancellationToken)
    {
        var socket = await RawHubSocket.ConnectAsync(system.Realtime, SystemTokens.Mint(system, user), cancellationToken);
        await socket.HandshakeAsync(cancellationToken);
        return socket;
    }

    /// <summary>
    /// Arguments nested deeper than the JSON reader's limit (64) cannot be parsed at all, so SignalR cannot even tell
    /// which invocation they belong to: the frame is malformed and the connection is closed with an error, as any
    /// malformed frame is (docs/errors.md, connection-level outcomes).
    /// </summary>
    private const string ClosingValue = "deep-array";

    private static bool ClosedWithError(RawHubSocket socket)
        => socket.Messages.Any(m => HubFraming.Type(m) == HubFraming.CloseType && m.TryGetProperty("error", out _));

    private static string Last(RawHubSocket socket) => socket.Messages.Count == 0 ? "no message" : socket.Messages[^1].GetRawText();

    /// <summary>Null when the completion is a documented answer.</summary>
    private static string? Check(JsonElement completion, bool mayAccept)
    {
        if (completion.TryGetProperty("error", out var error))
        {
            var text = error.GetString() ?? "";
            const string marker = "HubException: ";
            var at = text.IndexOf(marker, StringComparison.Ordinal);
            var code = at < 0 ? null : text[(at + marker.Length)..].Split(':')[0];
            // rate_limited would answer for the value under test (InputCorpusFixture lifts the limit).
            return code is not null && Codes.Contains(code) && code != HubErrorCodes.RateLimited ? null : $"undocumented error '{text}'";
        }
        if (!completion.TryGetProperty("result", out var result))
        {
            return mayAccept ? null : "accepted (must be refused)";
        }
        // A ResumeResult (or a map of them) answers per room: its error must be documented, and a join is acceptable only where allowed.
        var roomAnswers = result.ValueKind != JsonValueKind.Object ? []
            : result.TryGetProperty("recovered", out _) ? [result]
            : result.EnumerateObject().Select(p => p.Value).Where(v => v.ValueKind == JsonValueKind.Object && v.TryGetProperty("recovered", out _)).ToList();
        foreach (var answer in roomAnswers)
        {
            if (answer.TryGetProperty("error", out var roomError) && roomError.ValueKind == JsonValueKind.String)
            {
                if (!Codes.Contains(roomError.GetString()!))
                {
                    return $"undocumented room error {answer.GetRawText()}";
                }
            }
            else if (!mayAccept)
            {
                return $"joined (must be refused) {result.GetRawText()}";
            }
        }
        return roomAnswers.Count > 0 || mayAccept ? null : $"accepted (must be refused) {result.GetRawText()}";
    }
}
