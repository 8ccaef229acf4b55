using LiveAspire.Client;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Harness.Clients;

internal static class ClientTestHelpers
{
    /// <summary>Reads the next <paramref name="count"/> envelopes, each within the deadline.</summary>
    public static async Task<List<EventEnvelope>> ReadAsync(this LiveHubClient client, int count)
    {
        var received = new List<EventEnvelope>();
        using var deadline = new CancellationTokenSource(ScriptedHubServer.Deadline);
        while (received.Count < count)
        {
            received.Add(await client.Events.ReadAsync(deadline.Token));
        }
        return received;
    }

    /// <summary>A task that completes with the first value an event passes to its handler.</summary>
    public static Task<T> First<T>(Action<Action<T>> subscribe)
    {
        var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(value => source.TrySetResult(value));
        return source.Task.WaitAsync(ScriptedHubServer.Deadline);
    }
}
