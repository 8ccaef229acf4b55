namespace LiveAspire.Contracts.Auth;

/// <summary>
/// Published by Api on Redis channel <c>liveaspire:overlay-key-revocations</c> after it revoked or rotated an overlay
/// key in PostgreSQL. Every Realtime replica sends <c>Revoked("overlay_key_revoked")</c> to the overlay connections whose
/// token was exchanged for that key, and closes them.
/// </summary>
/// <param name="KeyId">The key revoked or rotated away (the <c>okid</c> claim of its tokens).</param>
public sealed record OverlayKeyRevocationNotice(Guid KeyId);
