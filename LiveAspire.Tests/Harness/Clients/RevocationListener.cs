using LiveAspire.Access;
using System.Collections.Concurrent;
using LiveAspire.Contracts.Auth;
using LiveAspire.Rooms.Redis;
using StackExchange.Redis;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>Collects every <see cref="RevocationNotice"/> published on <c>liveaspire:revocations</c>, as a Realtime replica would receive them.</summary>
public sealed class RevocationListener : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentQueue<(string Raw, RevocationNotice? Notice)> _received = new();
    private ConnectionMultiplexer? _redis;

    public async Task StartAsync(string connectionString)
    {
        _redis = await ConnectionMultiplexer.ConnectAsync(connectionString).WaitAsync(TimeSpan.FromSeconds(30));
        await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(AccessKeys.RevocationsChannel),
            (_, message) => _received.Enqueue((message!, JsonSerializer.Deserialize<RevocationNotice>((string)message!, s_json))))
            .WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits for the notice about <paramref name="userId"/> with <paramref name="reason"/>; returns it and its raw JSON.</summary>
    public Task<(string Raw, RevocationNotice? Notice)> WaitForAsync(Guid userId, string reason)
        => Eventually.GetAsync(
            () => Task.FromResult(_received.FirstOrDefault(r => r.Notice?.UserId == userId && r.Notice.Reason == reason)),
            r => r.Notice is not null, $"a {reason} revocation notice for {userId}", TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.CloseAsync(allowCommandsToComplete: false).WaitAsync(TimeSpan.FromSeconds(10));
            _redis.Dispose();
        }
    }
}
