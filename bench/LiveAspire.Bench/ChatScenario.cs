using System.Diagnostics;
using System.Globalization;

namespace LiveAspire.Bench;

public static partial class Scenarios
{
    /// <summary>
    /// Inbound chat through the running system (issue 15's benchmark, bench/README.md): K channels, S senders and M
    /// subscribers each, senders and subscribers spread over every Realtime replica. Each sender calls <c>SendChat</c>
    /// at R messages a second, one call at a time (the next waits for the answer), with a new <c>clientMsgId</c> and text
    /// each. Reported: messages accepted per second end to end (validated, committed in a group commit, published,
    /// answered), the answer's latency (p50, p99), refusals by code, and the subscribers' delivery (count, latency from
    /// the envelope's publish time, gaps, duplicates). The system must run with the chat limits raised
    /// (<c>--realtime-env</c>, see the README), or the per-user limit (1 a second) is what gets measured.
    /// </summary>
    public static async Task<Dictionary<string, object?>> ChatAsync(Target target, Options options, TextWriter log)
    {
        var rooms = options.Int("rooms", 100);
        var sendersPerRoom = options.Int("senders", 5);
        var subscribersPerRoom = options.Int("subscribers", 10);
        var rate = options.Double("rate", 4);
        var seconds = options.Int("seconds", 10);
        var warmupSeconds = options.Int("warmup-seconds", 3);
        var hubs = target.HubUrls;

        // Channels: rows of their own (SendChat checks that the channel exists), no owner.
        var channels = Enumerable.Range(0, rooms).Select(_ => Guid.NewGuid()).ToArray();
        await using (var database = Npgsql.NpgsqlDataSource.Create(target.LivedbConnectionString))
        {
            await using var insert = database.CreateCommand(
                "INSERT INTO channels (id, slug, display_name) SELECT id, 'b' || left(replace(id::text, '-', ''), 30), 'Bench' FROM unnest($1::uuid[]) AS t (id)");
            insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = channels });
            await insert.ExecuteNonQueryAsync();
        }
        var tokens = await target.SeedTokensAsync(rooms * (sendersPerRoom + subscribersPerRoom));
        var deliveries = new Figures();
        var acks = new Figures();
        var connectClock = Stopwatch.StartNew();
        var senders = new List<(RawClient Client, int Room)>();
        var subscribers = new List<(RawClient Client, int Room)>();
        var failed = 0;
        var next = 0;
        for (var r = 0; r < rooms; r++)
        {
            for (var s = 0; s < sendersPerRoom; s++, next++)
            {
                senders.Add((new RawClient(hubs[next % hubs.Count], tokens[next], acks), r));
            }
            for (var s = 0; s < subscribersPerRoom; s++, next++)
            {
                subscribers.Add((new RawClient(hubs[next % hubs.Count], tokens[next], deliveries), r));
            }
        }
        await Parallel.ForEachAsync(senders.Concat(subscribers), new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (c, _) =>
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await c.Client.ConnectAsync(cts.Token);
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or OperationCanceledException or InvalidOperationException)
            {
                Interlocked.Increment(ref failed);
            }
        });
        var roomOf = subscribers.ToDictionary(s => s.Client, s => s.Room);
        // A join the server refused (an overloaded replica answers redis_unavailable) is tried again, up to 5 times a
        // second apart; what still failed is reported, since its subscriber receives nothing.
        var joinFailed = 0;
        await ForEachAsync(subscribers.Select(s => s.Client).Where(c => !c.Closed), async c =>
        {
            for (var attempt = 1; ; attempt++)
            {
                var answer = await c.ResumeAsync($"stream:{channels[roomOf[c]]:D}", null, null, CancellationToken.None);
                if (!answer.Contains("\"error\":\"", StringComparison.Ordinal))
                {
                    return;
                }
                if (attempt == 5)
                {
                    Interlocked.Increment(ref joinFailed);
                    return;
                }
                await Task.Delay(1000);
            }
        });
        log.WriteLine($"{senders.Count} senders and {subscribers.Count} subscribers in {rooms} channel(s) over {hubs.Count} replica(s) ({failed} failed) after {Stopwatches.Seconds(connectClock)} s");
        using var keepAlive = new CancellationTokenSource();
        var pings = KeepAliveAsync([.. senders.Select(s => s.Client), .. subscribers.Select(s => s.Client)], keepAlive.Token);

        var refusals = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long accepted = 0;
        var counter = 0L;
        async Task SendForAsync(int forSeconds, bool measure)
        {
            var until = Stopwatch.StartNew();
            var interval = TimeSpan.FromSeconds(1 / rate);
            await Parallel.ForEachAsync(senders, new ParallelOptions { MaxDegreeOfParallelism = senders.Count }, async (sender, _) =>
            {
                // Each sender starts at a random point of its interval, so the load is spread.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * interval.TotalMilliseconds));
                var due = until.Elapsed;
                while (until.Elapsed < TimeSpan.FromSeconds(forSeconds))
                {
                    var n = Interlocked.Increment(ref counter);
                    var id = $"b{n.ToString(CultureInfo.InvariantCulture)}";
                    var args = $"[\"{channels[sender.Room]:D}\",\"bench message {id}\",null,\"{id}\"]";
                    var started = Stopwatch.GetTimestamp();
                    string answer;
                    try
                    {
                        answer = await sender.Client.InvokeAsync("SendChat", args, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
                    }
                    catch (Exception e) when (e is TimeoutException or System.Net.WebSockets.WebSocketException or InvalidOperationException or ObjectDisposedException)
                    {
                        refusals.AddOrUpdate("no_answer", 1, (_, c) => c + 1);
                        break;
                    }
                    if (measure)
                    {
                        if (answer.Contains("\"error\"", StringComparison.Ordinal))
                        {
                            var code = ErrorCode().Match(answer) is { Success: true } m ? m.Groups[1].Value : "error";
                            if (refusals.TryAdd(code, 0))
                            {
                                log.WriteLine($"first {code}: {answer}");
                            }
                            refusals.AddOrUpdate(code, 1, (_, c) => c + 1);
                        }
                        else
                        {
                            Interlocked.Increment(ref accepted);
                            acks.Record((long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                        }
                    }
                    due += interval;
                    var wait = due - until.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }
            });
        }

        if (warmupSeconds > 0)
        {
            log.WriteLine($"warm-up: {warmupSeconds} s at the same rate (not measured)");
            await SendForAsync(warmupSeconds, measure: false);
            await Task.Delay(2000);
            deliveries.Reset();
            acks.Reset();
            foreach (var s in subscribers)
            {
                s.Client.ResetCounts();
            }
        }
        var pid = target.RealtimePid;
        var serverCpu0 = pid is { } p0 ? Figures.CpuSeconds(p0) : 0;
        var clientCpu0 = Figures.ClientCpuSeconds();
        var clock = Stopwatch.StartNew();
        log.WriteLine($"sending {rate}/s per sender for {seconds} s (offered {rate * senders.Count:0}/s)");
        await SendForAsync(seconds, measure: true);
        var sendSeconds = Stopwatches.Seconds(clock);
        // Drain: each subscriber should get every accepted message of its room.
        var expected = accepted * subscribersPerRoom;
        var drain = Stopwatch.StartNew();
        while (subscribers.Sum(s => s.Client.Received) < expected && drain.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(100);
        }
        var serverCpu = pid is { } p1 ? Math.Round(Figures.CpuSeconds(p1) - serverCpu0, 2) : (double?)null;
        var clientCpu = Math.Round(Figures.ClientCpuSeconds() - clientCpu0, 2);
        await keepAlive.CancelAsync();
        await pings;
        var result = new Dictionary<string, object?>
        {
            ["scenario"] = "chat",
            ["rooms"] = rooms,
            ["senders_per_room"] = sendersPerRoom,
            ["subscribers_per_room"] = subscribersPerRoom,
            ["replicas"] = hubs.Count,
            ["rate_per_sender"] = rate,
            ["offered_per_second"] = Math.Round(rate * senders.Count),
            ["seconds"] = sendSeconds,
            ["connect_failed"] = failed,
            ["join_failed"] = joinFailed,
            ["accepted"] = accepted,
            ["accepted_per_second"] = Math.Round(accepted / Math.Max(0.001, sendSeconds)),
            ["refused"] = refusals.ToDictionary(),
            ["ack_p50_ms"] = acks.Percentile(0.50),
            ["ack_p99_ms"] = acks.Percentile(0.99),
            ["ack_max_ms"] = acks.Max(),
            ["delivered"] = subscribers.Sum(s => s.Client.Received),
            ["delivery_expected"] = expected,
            ["delivery_p50_ms"] = deliveries.Percentile(0.50),
            ["delivery_p99_ms"] = deliveries.Percentile(0.99),
            ["gaps"] = subscribers.Sum(s => s.Client.Gaps),
            ["gap_frames"] = subscribers.Sum(s => s.Client.GapFrames),
            ["duplicates"] = subscribers.Sum(s => s.Client.Duplicates),
            ["server_cpu_s_replica"] = serverCpu,
            ["client_cpu_s"] = clientCpu,
        };
        foreach (var c in senders.Select(s => s.Client).Concat(subscribers.Select(s => s.Client)))
        {
            await c.CloseAsync();
        }
        return result;
    }

    // "error":"chat_rate_limited: ...", or with SignalR's prefix "... HubException: chat_rate_limited: ..."
    [System.Text.RegularExpressions.GeneratedRegex("\"error\":\"(?:[^\"]*HubException: )?([a-z_]+): ")]
    private static partial System.Text.RegularExpressions.Regex ErrorCode();
}
