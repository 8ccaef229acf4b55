using System.Text.Json;

namespace LiveAspire.Contracts.Realtime;

/// <summary>
/// Every event that reaches a client, whatever its room (docs/architecture.md section 3). Clients dedupe by
/// <see cref="Id"/> and resume by (<see cref="Epoch"/>, <see cref="Seq"/>).
/// </summary>
/// <param name="Id">Stable for the event's whole life: a relayed event keeps its id, so clients can dedupe.</param>
/// <param name="Type">Dot-named type (<c>chat.message</c>, <c>tip.received</c>); an incompatible payload change gets a new name.</param>
/// <param name="Room">The room the event was published to (<c>stream:{channelId}</c>, <c>user:{userId}</c>...).</param>
/// <param name="Seq">Per-room offset assigned at publish; never reused within one <see cref="Epoch"/>.</param>
/// <param name="Epoch">Changes when the room's history is lost; a client holding another epoch must reset the room.</param>
/// <param name="Ts">Publish time, Unix milliseconds.</param>
/// <param name="Data">The payload, kept as raw JSON so relayed events are not re-shaped on the way.</param>
public sealed record EventEnvelope(string Id, string Type, string Room, long Seq, string Epoch, long Ts, JsonElement Data);
