using System.Collections.Concurrent;
using LiveAspire.Client;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Infrastructure;

/// <summary>A hub client plus everything it received, for assertions ("seq 1..N, in order, none twice").</summary>
public sealed class CollectingClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<EventEnvelope> _received = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _drain;
    private int _disposed;

    public CollectingClient(LiveHubClient client)
    {
        Client = client;
        _drain = Task.Run(async () =>
        {
            try
            {
                await foreach (var envelope in client.Events.ReadAllAsync(_stop.Token))
                {
                    _received.Enqueue(envelope);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public LiveHubClient Client { get; }

    public IReadOnlyList<EventEnvelope> Received => [.. _received];

    public IReadOnlyList<EventEnvelope> In(string room) => [.. _received.Where(e => e.Room == room && e.Type != LiveHubContract.GapEventType)];

    /// <summary>Waits until the room's events received cover seq 1..<paramref name="seq"/> (or at least that many).</summary>
    public Task WaitForSeqAsync(string room, long seq, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(() => In(room).Any(e => e.Seq >= seq), $"{room} seq {seq} (have {In(room).Count} events)", timeout);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await Client.DisposeAsync();
        await _stop.CancelAsync();
        await _drain;
        _stop.Dispose();
    }
}

public static class LiveClients
{
    /// <summary>A connected client to the hub at <paramref name="baseUrl"/> (a replica's own address or the proxy).</summary>
    public static async Task<CollectingClient> ConnectAsync(Uri baseUrl, Func<string> token, Action<LiveHubClientOptions>? configure = null)
    {
        var options = new LiveHubClientOptions
        {
            HubUrl = new Uri(baseUrl, LiveHubContract.Path),
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(token()),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(2),
        };
        configure?.Invoke(options);
        var client = new LiveHubClient(options);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(cts.Token);
        return new CollectingClient(client);
    }

    /// <summary>Asserts the room's events cover seq <paramref name="from"/>..<paramref name="to"/> contiguously, in
    /// order, once each. The realtime service numbers its own events in stream rooms too (<c>presence.count</c>, when
    /// viewers join or leave), so the range may run past <paramref name="to"/>, and a client that joined live-only may
    /// start up to two seqs late (counts published before its join); a gap anywhere else fails.</summary>
    public static void AssertExactly(IReadOnlyList<EventEnvelope> events, long from, long to)
    {
        var seqs = events.Select(e => e.Seq).ToList();
        var contiguous = seqs.Count > 0 && seqs.Zip(seqs.Skip(1)).All(p => p.Second == p.First + 1);
        var ok = contiguous && seqs[0] <= from + 2 && seqs[^1] >= to;
        Xunit.Assert.True(ok, $"expected seq {from}..{to} in order once each (presence.count aside); got [{string.Join(",", seqs)}]");
        Xunit.Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
    }
}
