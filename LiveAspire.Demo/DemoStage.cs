namespace LiveAspire.Demo;

/// <summary>A demo channel that is live now, its performer, and its emote (what its chatters use).</summary>
public sealed record LiveDemoChannel(Guid ChannelId, Guid PerformerId, string PerformerName, string EmoteCode);

/// <summary>
/// The demo channels live right now, as their performers report them: where simulated viewers go. Only the demo's own
/// channels, so the simulation never crowds a stream someone started by hand.
/// </summary>
public sealed class DemoStage
{
    private readonly Lock _gate = new();
    private readonly List<LiveDemoChannel> _live = [];

    public int LiveCount
    {
        get { lock (_gate) { return _live.Count; } }
    }

    public void WentLive(LiveDemoChannel channel)
    {
        lock (_gate)
        {
            _live.RemoveAll(c => c.ChannelId == channel.ChannelId);
            _live.Add(channel);
        }
    }

    public void WentOffline(Guid channelId)
    {
        lock (_gate)
        {
            _live.RemoveAll(c => c.ChannelId == channelId);
        }
    }

    /// <summary>
    /// A live channel to visit, or null when none is. A guest group's viewers (<paramref name="favourite"/>: the
    /// group's number) keep to one channel while it is live, the groups spread over the channels, so a group needs a
    /// guest token for one channel at a time. A signed-in viewer (<paramref name="viewer"/>, a performer's account)
    /// visits someone else's channel at random when there is one: a performer watching their own stream is the
    /// exception, not the rule.
    /// </summary>
    public LiveDemoChannel? Pick(Guid? viewer, int? favourite)
    {
        lock (_gate)
        {
            var others = _live.Where(c => c.PerformerId != viewer).ToList();
            var choices = others.Count > 0 ? others : _live;
            if (choices.Count == 0)
            {
                return null;
            }
            return favourite is { } number
                ? choices.OrderBy(c => c.ChannelId).ElementAt(number % choices.Count)
                : choices[Random.Shared.Next(choices.Count)];
        }
    }
}
