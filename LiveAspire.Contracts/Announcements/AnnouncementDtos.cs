namespace LiveAspire.Contracts.Announcements;

/// <summary>Body of <c>POST /api/admin/announcements</c> (admins only).</summary>
/// <param name="AnnouncementId">The client's idempotency key, 1 to 64 of <c>A-Z a-z 0-9 . _ : -</c> (a new UUID per
/// announcement): a retry of the same request with the same key puts nothing into a room twice.</param>
/// <param name="Text">What viewers read: 1 to 500 characters after trimming, no control characters (line breaks
/// included) and no lone surrogates.</param>
/// <param name="Room">One room to announce into (a canonical room name); absent: every live channel's <c>stream:</c> room.</param>
public sealed record AnnouncementRequest(string? AnnouncementId, string? Text, string? Room);

/// <summary>Where an announcement landed in one room.</summary>
/// <param name="Room">The room.</param>
/// <param name="Id">The envelope id it has in that room (derived from the announcement id and the room).</param>
/// <param name="Seq">Its seq in the room; for a retry, the seq the first try gave it.</param>
/// <param name="Epoch">The room's epoch.</param>
/// <param name="Duplicate">True when the room already had it (a retry): nothing was sent again.</param>
public sealed record AnnouncedRoom(string Room, string Id, long Seq, string Epoch, bool Duplicate);

/// <summary>Answer of <c>POST /api/admin/announcements</c> when every room has the announcement.</summary>
/// <param name="AnnouncementId">The request's idempotency key.</param>
/// <param name="Rooms">Each room and the seq the announcement has there, by room name.</param>
public sealed record AnnouncementResponse(string AnnouncementId, IReadOnlyList<AnnouncedRoom> Rooms);
