using LiveAspire.Realtime.Access;
using LiveAspire.Hosting;
using Microsoft.AspNetCore.Mvc;

namespace LiveAspire.Realtime.Hubs;

// The replicas' hub method (docs/protocol.md), next to their HTTP endpoints.
public sealed partial class LiveHub
{
    /// <summary>Answers with the serving replica and its clock: lets clients and tests see where they landed.</summary>
    [AllowGuests]
    public PingReply Ping([FromServices] ServiceInstance instance, [FromServices] TimeProvider time) => new(instance.Id, time.GetUtcNow());
}
