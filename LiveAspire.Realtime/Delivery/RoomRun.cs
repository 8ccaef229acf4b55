using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// Consecutive numbered events of one room (same epoch, seqs without a hole) as the dispatcher hands them to the
/// room's members. Serialized into a shared <see cref="EventFrame"/> the first time a member can take it whole.
/// </summary>
public sealed class RoomRun(IHubProtocol protocol, IReadOnlyList<EventEnvelope> envelopes)
{
    private EventFrame? _frame;

    public IReadOnlyList<EventEnvelope> Envelopes { get; } = envelopes;
    public string Epoch => Envelopes[0].Epoch;
    public long FirstSeq => Envelopes[0].Seq;
    public long LastSeq => Envelopes[^1].Seq;

    /// <summary>Built once, on first use; the dispatcher is the only caller (one thread).</summary>
    public EventFrame Frame => _frame ??= EventFrame.Create(protocol, Envelopes);

    /// <summary>True when <paramref name="envelopes"/>[<paramref name="index"/>] continues the run before it.</summary>
    public static bool Continues(IReadOnlyList<EventEnvelope> envelopes, int index) =>
        index > 0 && envelopes[index].Epoch == envelopes[index - 1].Epoch && envelopes[index].Seq == envelopes[index - 1].Seq + 1;
}
