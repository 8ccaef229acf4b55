using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Realtime.Hubs;

public sealed partial class LiveHub
{
    /// <summary>Answers with the serving replica and its clock: lets clients and tests see where they landed.</summary>
    public PingReply Ping() => new(instance.Id, time.GetUtcNow());
}
