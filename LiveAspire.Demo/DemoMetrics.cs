using System.Diagnostics.Metrics;

namespace LiveAspire.Demo;

/// <summary>
/// What the demo does, on meter <c>LiveAspire.Demo</c> (ServiceDefaults subscribes to <c>LiveAspire.*</c>), so the
/// Aspire dashboard's Metrics page shows the simulation moving: joins and leaves by kind of viewer, title updates,
/// how many watch now, how many demo channels are live, and what Api refused (a <c>rate_limited</c> there is the demo
/// waiting for its share of a per-address budget). docs/demo.md lists them.
/// </summary>
public sealed class DemoMetrics
{
    public const string MeterName = "LiveAspire.Demo";

    /// <summary>Tag naming the kind of viewer: <see cref="Guest"/> or <see cref="SignedIn"/>.</summary>
    public const string ViewerTag = "viewer";

    public const string Guest = "guest";
    public const string SignedIn = "signed_in";

    private readonly Counter<long> _joins;
    private readonly Counter<long> _leaves;
    private readonly Counter<long> _titleUpdates;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _chat;
    private long _guestsWatching;
    private long _signedInWatching;

    public DemoMetrics(IMeterFactory meterFactory, DemoStage stage)
    {
        var meter = meterFactory.Create(MeterName);
        _joins = meter.CreateCounter<long>("liveaspire.demo.viewer_joins", "{join}",
            "Simulated viewers that joined a demo stream's room (tag viewer: guest or signed_in).");
        _leaves = meter.CreateCounter<long>("liveaspire.demo.viewer_leaves", "{leave}",
            "Simulated viewers that left a demo stream's room (tag viewer: guest or signed_in).");
        _titleUpdates = meter.CreateCounter<long>("liveaspire.demo.title_updates", "{update}",
            "Titles of live demo broadcasts changed by their performers.");
        _refusals = meter.CreateCounter<long>("liveaspire.demo.api_refusals", "{refusal}",
            "Api answers the demo waited out or gave up on, by error code (rate_limited: the demo waits for its share of a per-address budget).");
        _chat = meter.CreateCounter<long>("liveaspire.demo.chat_messages", "{message}",
            "Chat messages demo viewers sent (tag outcome: sent, or the refusal's code they waited out).");
        meter.CreateObservableGauge("liveaspire.demo.viewers_watching", () => new[]
        {
            new Measurement<long>(Interlocked.Read(ref _guestsWatching), new KeyValuePair<string, object?>(ViewerTag, Guest)),
            new Measurement<long>(Interlocked.Read(ref _signedInWatching), new KeyValuePair<string, object?>(ViewerTag, SignedIn)),
        }, "{viewer}", "Simulated viewers in a demo stream's room now.");
        meter.CreateObservableGauge("liveaspire.demo.channels_live", () => (long)stage.LiveCount, "{channel}",
            "Demo channels live now.");
    }

    public void Joined(string viewer)
    {
        _joins.Add(1, new KeyValuePair<string, object?>(ViewerTag, viewer));
        Interlocked.Increment(ref Watching(viewer));
    }

    public void Left(string viewer)
    {
        _leaves.Add(1, new KeyValuePair<string, object?>(ViewerTag, viewer));
        Interlocked.Decrement(ref Watching(viewer));
    }

    public void TitleUpdated() => _titleUpdates.Add(1);

    public void Chatted(string outcome) => _chat.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Refused(string code) => _refusals.Add(1, new KeyValuePair<string, object?>("code", code));

    private ref long Watching(string viewer) => ref viewer == SignedIn ? ref _signedInWatching : ref _guestsWatching;
}
