using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LiveAspire.Contracts.Text;

namespace LiveAspire.Api.Rooms;

/// <summary>What an announcement must be (docs/channels.md, "Announcements"), and the envelope id it has in each room.</summary>
public static partial class AnnouncementRules
{
    public const int MaxTextLength = 500;

    /// <summary>The text as it is published (trimmed), or null when it is empty, longer than <see cref="MaxTextLength"/>,
    /// or holds a control character (line breaks included) or a lone surrogate (<see cref="UserText.IsStorableText"/>).</summary>
    public static string? Text(string? text)
    {
        var trimmed = text?.Trim();
        return trimmed is { Length: > 0 and <= MaxTextLength } && UserText.IsStorableText(trimmed) ? trimmed : null;
    }

    public static bool IsValidId(string? announcementId) => announcementId is not null && Id().IsMatch(announcementId);

    /// <summary>
    /// The envelope id of announcement <paramref name="announcementId"/> in <paramref name="room"/>: the same on every
    /// retry, so the room answers a retry as a duplicate with the first seq (the publish is idempotent by envelope id),
    /// and different per room, because clients drop an id they have already delivered in any room (docs/events.md):
    /// one id in two rooms a client reads would be delivered once and stall the second room.
    /// </summary>
    public static string EnvelopeId(string announcementId, string room)
        => "announcement:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{announcementId}\n{room}")))[..32];

    public const string IdRule = "announcementId must be 1 to 64 of A-Z a-z 0-9 . _ : - (a new UUID per announcement; the same on a retry).";

    public static string TextRule => $"text must be 1 to {MaxTextLength} characters without control characters (line breaks included).";

    [GeneratedRegex(@"\A[A-Za-z0-9._:-]{1,64}\z")]
    private static partial Regex Id();
}
