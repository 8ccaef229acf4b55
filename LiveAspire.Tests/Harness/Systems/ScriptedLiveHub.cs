using System.Collections.Concurrent;
using LiveAspire.Contracts.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>One call a client made to the scripted hub.</summary>
public sealed record HubCall(string ConnectionId, string Method, object? Argument);

/// <summary>
/// What the scripted hub does and what it saw, shared between the hub (one instance per call) and the test. The
/// test replaces the behaviour delegates and pushes messages through <see cref="ScriptedHubServer"/>.
/// </summary>
public sealed class HubScript
{
    public ConcurrentQueue<HubCall> Calls { get; } = new();

    public ConcurrentQueue<string> ConnectionIds { get; } = new();

    public ConcurrentDictionary<string, HubCallerContext> Open { get; } = new();

    /// <summary>The Authorization header of every upgrade request, in order (null when absent).</summary>
    public ConcurrentQueue<string?> UpgradeAuthorizations { get; } = new();

    /// <summary>Tokens answered with 401 on the upgrade.</summary>
    public ConcurrentDictionary<string, bool> RejectedTokens { get; } = new();

    /// <summary>Resume's answer; the default recovers every room at its given position (epoch e1, seq 0 when none).</summary>
    public Func<string, Dictionary<string, RoomPosition?>, Task<Dictionary<string, ResumeResult>>> OnResume { get; set; }
        = (_, rooms) => Task.FromResult(rooms.ToDictionary(r => r.Key, r => new ResumeResult(true, r.Value?.Epoch ?? "e1", r.Value?.Seq ?? 0)));

    /// <summary>JoinStream's answer; the default recovers at the given position (epoch e1, seq 0 when none).</summary>
    public Func<string, long?, string?, Task<ResumeResult>> OnJoinStream { get; set; }
        = (_, lastSeq, epoch) => Task.FromResult(new ResumeResult(true, epoch ?? "e1", lastSeq ?? 0));

    public string LatestConnectionId => ConnectionIds.Last();

    public IEnumerable<Dictionary<string, RoomPosition?>> ResumesOn(string connectionId)
        => Calls.Where(c => c.ConnectionId == connectionId && c.Method == nameof(ScriptedLiveHub.Resume))
            .Select(c => (Dictionary<string, RoomPosition?>)c.Argument!);
}

/// <summary>A hub with the live hub's methods, behaving as the test's <see cref="HubScript"/> says.</summary>
public sealed class ScriptedLiveHub(HubScript script) : Hub<ILiveClient>
{
    public override Task OnConnectedAsync()
    {
        script.Open[Context.ConnectionId] = Context;
        script.ConnectionIds.Enqueue(Context.ConnectionId);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        script.Open.TryRemove(Context.ConnectionId, out _);
        return Task.CompletedTask;
    }

    public Task<Dictionary<string, ResumeResult>> Resume(Dictionary<string, RoomPosition?> rooms)
    {
        script.Calls.Enqueue(new HubCall(Context.ConnectionId, nameof(Resume), rooms));
        return script.OnResume(Context.ConnectionId, rooms);
    }

    public Task<ResumeResult> JoinStream(string streamId, long? lastSeq, string? epoch)
    {
        script.Calls.Enqueue(new HubCall(Context.ConnectionId, nameof(JoinStream), (streamId, lastSeq, epoch)));
        return script.OnJoinStream(streamId, lastSeq, epoch);
    }

    public void Leave(string room) => script.Calls.Enqueue(new HubCall(Context.ConnectionId, nameof(Leave), room));

    public PingReply Ping() => new("scripted", DateTimeOffset.UtcNow);
}
