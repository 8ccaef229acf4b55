using LiveAspire.Api.Data;
using LiveAspire.Contracts.Channels;
using LiveAspire.Contracts.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace LiveAspire.Api.Channels;

public static class ChannelsApi
{
    /// <summary>Largest page a client may ask for; keeps one request's cost bounded.</summary>
    public const int MaxPageSize = 100;

    public const int DefaultPageSize = 20;

    public static RouteGroupBuilder MapChannelsApi(this IEndpointRouteBuilder endpoints)
    {
        // Anonymous reads only: writes arrive with accounts and tokens.
        var group = endpoints.MapGroup("/api/channels").WithTags("Channels").AllowAnonymous();
        group.MapGet("/live", GetLiveChannels).WithName(nameof(GetLiveChannels));
        return group;
    }

    /// <summary>
    /// Live channels ordered by slug, keyset-paged: pass the previous page's <c>next</c> as <paramref name="after"/>.
    /// Keyset rather than offset paging so a page stays cheap however deep, and channels going live or offline
    /// between requests do not shift later pages.
    /// </summary>
    public static async Task<Results<Ok<KeysetPage<LiveChannel>>, ValidationProblem>> GetLiveChannels(
        LiveDbContext db, int? limit, string? after, CancellationToken cancellationToken)
    {
        var pageSize = limit ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"limit must be between 1 and {MaxPageSize}."],
            });
        }
        if (after is not null && !ChannelSlug.IsValid(after))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["after"] = ["after must be a channel slug (the previous page's next)."],
            });
        }

        var query = db.Channels.AsNoTracking().Where(c => c.IsLive);
        if (after is not null)
        {
            // The slug column uses the "C" collation, so this comparison and ORDER BY agree byte for byte.
            query = query.Where(c => string.Compare(c.Slug, after) > 0);
        }
        // One extra row tells whether another page exists without a COUNT.
        var rows = await query.OrderBy(c => c.Slug).Take(pageSize + 1).Select(Channel.ToLiveChannel).ToListAsync(cancellationToken);
        var next = rows.Count > pageSize ? rows[pageSize - 1].Slug : null;
        return TypedResults.Ok(new KeysetPage<LiveChannel>(rows.Take(pageSize).ToList(), next));
    }
}
