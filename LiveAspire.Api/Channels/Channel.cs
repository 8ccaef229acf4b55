using System.Linq.Expressions;
using LiveAspire.Contracts.Channels;

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

    /// <summary>Projection to the wire record, as an expression so EF selects only the columns it needs.</summary>
    public static readonly Expression<Func<Channel, LiveChannel>> ToLiveChannel =
        c => new LiveChannel(c.Id, c.Slug, c.DisplayName, c.Title);
}
