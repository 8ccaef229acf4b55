using System.Diagnostics.CodeAnalysis;

namespace LiveAspire.Rooms;

/// <summary>The kinds of room (docs/architecture.md section 3).</summary>
public enum RoomKind
{
    /// <summary><c>stream:{channelId}</c>: a channel's live room (chat, tips, counters).</summary>
    Stream,
    /// <summary><c>user:{userId}</c>: every device of one user.</summary>
    User,
    /// <summary><c>dm:{a}:{b}</c>: a private conversation, the two user ids in ordinal order.</summary>
    DirectMessage,
    /// <summary><c>mod:{channelId}</c>: a channel's moderators and performer.</summary>
    Moderators,
    /// <summary><c>alerts:{channelId}</c>: the overlay's alert queue.</summary>
    Alerts,
}

/// <summary>
/// A validated room name. Every room name in the system is built and parsed here, so a typo cannot create a room
/// nobody reads. Ids are lower-case UUIDs ("D" format): one spelling per room.
/// </summary>
public readonly record struct RoomName(RoomKind Kind, Guid Id, Guid SecondId = default)
{
    public const int MaxLength = 80;

    public static RoomName Stream(Guid channelId) => new(RoomKind.Stream, channelId);
    public static RoomName User(Guid userId) => new(RoomKind.User, userId);
    public static RoomName Moderators(Guid channelId) => new(RoomKind.Moderators, channelId);
    public static RoomName Alerts(Guid channelId) => new(RoomKind.Alerts, channelId);

    /// <summary>The conversation of two users; the order of the arguments does not matter.</summary>
    public static RoomName DirectMessage(Guid a, Guid b)
    {
        if (a == b)
        {
            throw new ArgumentException("A private conversation needs two different users.", nameof(b));
        }
        return string.CompareOrdinal(a.ToString("D"), b.ToString("D")) < 0
            ? new RoomName(RoomKind.DirectMessage, a, b)
            : new RoomName(RoomKind.DirectMessage, b, a);
    }

    public override string ToString() => Kind switch
    {
        RoomKind.Stream => $"stream:{Id:D}",
        RoomKind.User => $"user:{Id:D}",
        RoomKind.DirectMessage => $"dm:{Id:D}:{SecondId:D}",
        RoomKind.Moderators => $"mod:{Id:D}",
        RoomKind.Alerts => $"alerts:{Id:D}",
        _ => throw new InvalidOperationException($"Unknown room kind {Kind}."),
    };

    /// <summary>Parses the canonical spelling only (lower-case ids, ordered dm pair); anything else is invalid.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out RoomName room)
    {
        room = default;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }
        var parts = text.Split(':');
        RoomName? parsed = parts switch
        {
            ["stream", var id] when IsId(id, out var g) => Stream(g),
            ["user", var id] when IsId(id, out var g) => User(g),
            ["mod", var id] when IsId(id, out var g) => Moderators(g),
            ["alerts", var id] when IsId(id, out var g) => Alerts(g),
            ["dm", var a, var b] when IsId(a, out var ga) && IsId(b, out var gb) && ga != gb => DirectMessage(ga, gb),
            _ => null,
        };
        if (parsed is not { } value || value.ToString() != text)
        {
            return false;
        }
        room = value;
        return true;
    }

    private static bool IsId(string text, out Guid id) => Guid.TryParseExact(text, "D", out id) && text == id.ToString("D");
}
