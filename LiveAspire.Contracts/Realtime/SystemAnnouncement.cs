namespace LiveAspire.Contracts.Realtime;

/// <summary>Data of <see cref="EventTypes.SystemAnnouncement"/> as <c>POST /api/admin/announcements</c> publishes it.</summary>
/// <param name="Text">What the administrator announced: 1 to 500 characters without control characters.</param>
public sealed record SystemAnnouncement(string Text);
