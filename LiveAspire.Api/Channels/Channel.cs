using System.Linq.Expressions;
using System.Text.Json;

namespace LiveAspire.Api.Channels;

/// <summary>A performer's channel (table <c>channels</c>). Stable: one channel has many broadcasts over time.</summary>
public sealed class Channel
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string DisplayName { get; set; }
    public string Title { get; set; } = "";
    public bool IsLive { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The performer; null only for channels that predate owners (admin-managed).</summary>
    public Guid? OwnerId { get; set; }
    public string Category { get; set; } = "";
    public string Description { get; set; } = "";
    public string? AvatarUrl { get; set; }

    /// <summary>JSON object text (column <c>jsonb</c>): chat rules and other per-channel settings.</summary>
    public string Settings { get; set; } = "{}";
    public bool AllowAnonymous { get; set; } = true;

    public ChannelDto ToDto() => new(Id, Slug, DisplayName, Title, Category, Description, AvatarUrl,
        JsonDocument.Parse(Settings).RootElement.Clone(), AllowAnonymous, IsLive, OwnerId, CreatedAt);

    /// <summary>Projection to the wire record, as an expression so EF selects only the columns it needs; the
    /// performer's name is a subquery on <paramref name="users"/> in the same statement, the viewer counts come from
    /// Redis afterwards (<see cref="LiveChannelViewers"/>).</summary>
    public static Expression<Func<Channel, LiveChannel>> ToLiveChannel(IQueryable<User> users) =>
        c => new LiveChannel(c.Id, c.Slug, c.DisplayName, c.Title, c.Category,
            users.Where(u => u.Id == c.OwnerId).Select(u => u.Username).FirstOrDefault(), null);
}
