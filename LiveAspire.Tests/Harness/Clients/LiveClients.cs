using System.Collections.Concurrent;
using LiveAspire.Client;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Harness.Clients;

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

    /// <summary>Asserts the room's numbered events are exactly seq <paramref name="from"/>..<paramref name="to"/>, in
    /// order, once each. Ephemeral envelopes (<c>seq</c> 0: <c>presence.count</c>, typing) are not part of a room's order
    /// and are left out; every other envelope counts.</summary>
    public static void AssertExactly(IReadOnlyList<EventEnvelope> events, long from, long to)
    {
        var numbered = events.Where(e => e.Seq != LiveHubContract.EphemeralSeq).ToList();
        var seqs = numbered.Select(e => e.Seq).ToList();
        var ok = seqs.SequenceEqual(Enumerable.Range(0, (int)(to - from + 1)).Select(i => from + i));
        Xunit.Assert.True(ok, $"expected seq {from}..{to} in order once each (ephemeral aside); got [{string.Join(",", seqs)}]");
        Xunit.Assert.Equal(numbered.Count, numbered.Select(e => e.Id).Distinct().Count());
    }
}
