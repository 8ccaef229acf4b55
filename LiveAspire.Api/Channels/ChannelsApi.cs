using LiveAspire.Contracts.Paging;

namespace LiveAspire.Api.Channels;

public static class ChannelsApi
{
    public static RouteGroupBuilder MapChannelsApi(this IEndpointRouteBuilder api)
    {
        // Two groups on one prefix: reads are public (anonymous viewing is decided per channel by Realtime), writes
        // need a user token and pass the object-level check in each handler.
        var reads = api.MapGroup("/channels").WithTags("Channels").AllowAnonymous();
        reads.MapGet("/live", GetLiveChannels).WithName(nameof(GetLiveChannels));
        reads.MapGet("", ListChannels).WithName(nameof(ListChannels));
        reads.MapGet("/{id:guid}", GetChannel).WithName(nameof(GetChannel));
        reads.MapGet("/by-slug/{slug}", GetChannelBySlug).WithName(nameof(GetChannelBySlug));

        var writes = api.MapGroup("/channels").WithTags("Channels").RequireAuthorization();
        writes.MapPost("", CreateChannel).WithName(nameof(CreateChannel));
        writes.MapPatch("/{id:guid}", UpdateChannel).WithName(nameof(UpdateChannel));
        writes.MapGet("/{id:guid}/roles/me", GetMyRoles).WithName(nameof(GetMyRoles));
        return reads;
    }

    /// <summary>
    /// Live channels ordered by slug, keyset-paged: pass the previous page's <c>next</c> as <paramref name="after"/>.
    /// Keyset rather than offset paging so a page stays cheap however deep, and channels going live or offline
    /// between requests do not shift later pages. Each carries its viewer counts, read for the whole page at once.
    /// </summary>
    public static async Task<Results<Ok<KeysetPage<LiveChannel>>, ValidationProblem>> GetLiveChannels(
        LiveDbContext db, LiveChannelViewers viewers, int? limit, string? after, CancellationToken cancellationToken)
    {
        var page = await PageBySlugAsync<LiveChannel, LiveChannel>(db.Channels.AsNoTracking().Where(c => c.IsLive), Channel.ToLiveChannel(db.Users), c => c.Slug, limit, after, cancellationToken);
        return page.Result is Ok<KeysetPage<LiveChannel>> { Value: { } channels }
            ? TypedResults.Ok(channels with { Items = await viewers.WithCountsAsync(channels.Items, cancellationToken) })
            : page;
    }

    /// <summary>
    /// Every channel ordered by slug, keyset-paged like <see cref="GetLiveChannels"/>: the site's directory.
    /// <paramref name="q"/> keeps the channels whose name or slug contains it, <paramref name="category"/> those of
    /// that category (both case-insensitive; up to <see cref="ChannelRules.MaxDisplayName"/> and
    /// <see cref="ChannelRules.MaxCategory"/> characters, no control characters: 400 otherwise).
    /// </summary>
    public static Task<Results<Ok<KeysetPage<ChannelDto>>, ValidationProblem>> ListChannels(
        LiveDbContext db, int? limit, string? after, string? q, string? category, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = ChannelRules.Name("q", q, ChannelRules.MaxDisplayName, false, errors);
        var kind = ChannelRules.Name("category", category, ChannelRules.MaxCategory, false, errors);
        if (errors.Count > 0)
        {
            return Task.FromResult<Results<Ok<KeysetPage<ChannelDto>>, ValidationProblem>>(ApiProblems.Validation(errors));
        }
        var query = db.Channels.AsNoTracking();
        if (!string.IsNullOrEmpty(name))
        {
            var pattern = $"%{Sql.LikeLiteral(name)}%";
            query = query.Where(c => EF.Functions.ILike(c.DisplayName, pattern, Sql.LikeEscape)
                || EF.Functions.ILike(c.Slug, pattern, Sql.LikeEscape));
        }
        if (!string.IsNullOrEmpty(kind))
        {
            var exact = Sql.LikeLiteral(kind);
            query = query.Where(c => EF.Functions.ILike(c.Category, exact, Sql.LikeEscape));
        }
        return PageBySlugAsync<Channel, ChannelDto>(query, c => c, c => c.Slug, limit, after, cancellationToken, c => c.ToDto());
    }

    public static async Task<Results<Ok<ChannelDto>, ProblemHttpResult>> GetChannel(Guid id, LiveDbContext db, CancellationToken cancellationToken)
        => await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } channel
            ? TypedResults.Ok(channel.ToDto())
            : ChannelAccess.NotFound();

    public static async Task<Results<Ok<ChannelDto>, ProblemHttpResult>> GetChannelBySlug(string slug, LiveDbContext db, CancellationToken cancellationToken)
        => ChannelSlug.IsValid(slug) && await db.Channels.AsNoTracking().FirstOrDefaultAsync(c => c.Slug == slug, cancellationToken) is { } channel
            ? TypedResults.Ok(channel.ToDto())
            : ChannelAccess.NotFound();

    /// <summary>Creates the caller's channel; the caller becomes its performer. One channel per performer.</summary>
    public static async Task<Results<Created<ChannelDto>, ValidationProblem, ProblemHttpResult>> CreateChannel(
        CreateChannelRequest request, ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ChannelSlug.IsValid(request.Slug))
        {
            errors["slug"] = ["slug must be 3 to 32 characters of a-z 0-9 _ -, starting and ending with a letter or digit."];
        }
        var channel = new Channel
        {
            Slug = request.Slug ?? "",
            DisplayName = ChannelRules.Name("displayName", request.DisplayName, ChannelRules.MaxDisplayName, true, errors) ?? "",
            Title = ChannelRules.Name("title", request.Title, ChannelRules.MaxTitle, false, errors) ?? "",
            Category = ChannelRules.Name("category", request.Category, ChannelRules.MaxCategory, false, errors) ?? "",
            Description = ChannelRules.Text("description", request.Description, ChannelRules.MaxDescription, false, errors) ?? "",
            AvatarUrl = ChannelRules.AvatarUrl(request.AvatarUrl, errors),
            Settings = ChannelRules.Settings(request.Settings, errors) ?? "{}",
            AllowAnonymous = request.AllowAnonymous ?? true,
            OwnerId = user.UserId(),
        };
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        db.Channels.Add(channel);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            // The unique constraints decide, so two concurrent requests cannot both succeed.
            return unique.ConstraintName == "channels_owner_key"
                ? ApiProblems.Problem(StatusCodes.Status409Conflict, ApiErrorCodes.ChannelExists, "You already have a channel.")
                : ApiProblems.Problem(StatusCodes.Status409Conflict, ApiErrorCodes.SlugTaken, "Another channel has this slug.");
        }
        // Read back: defaults (is_live, created_at) come from the database.
        var created = await db.Channels.AsNoTracking().FirstAsync(c => c.Id == channel.Id, cancellationToken);
        return TypedResults.Created($"/api/channels/{channel.Id:D}", created.ToDto());
    }

    /// <summary>Changes the fields present in the body; the performer or an admin. The slug never changes (links and rooms use it).</summary>
    public static async Task<Results<Ok<ChannelDto>, ValidationProblem, ProblemHttpResult>> UpdateChannel(
        Guid id, UpdateChannelRequest request, ClaimsPrincipal user, LiveDbContext db, GuestAccessUpdater guests, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var displayName = ChannelRules.Name("displayName", request.DisplayName, ChannelRules.MaxDisplayName, request.DisplayName is not null, errors);
        var title = ChannelRules.Name("title", request.Title, ChannelRules.MaxTitle, false, errors);
        var category = ChannelRules.Name("category", request.Category, ChannelRules.MaxCategory, false, errors);
        var description = ChannelRules.Text("description", request.Description, ChannelRules.MaxDescription, false, errors);
        var avatarUrl = ChannelRules.AvatarUrl(request.AvatarUrl, errors);
        var settings = ChannelRules.Settings(request.Settings, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: true, cancellationToken);
        if (channel is null)
        {
            return problem!;
        }
        channel.DisplayName = displayName ?? channel.DisplayName;
        channel.Title = title ?? channel.Title;
        channel.Category = category ?? channel.Category;
        channel.Description = description ?? channel.Description;
        channel.AvatarUrl = request.AvatarUrl is null ? channel.AvatarUrl : avatarUrl;
        channel.Settings = settings ?? channel.Settings;
        var guestsChanged = request.AllowAnonymous is { } allow && allow != channel.AllowAnonymous;
        channel.AllowAnonymous = request.AllowAnonymous ?? channel.AllowAnonymous;
        await db.SaveChangesAsync(cancellationToken);
        if (guestsChanged)
        {
            await guests.AfterCommitAsync(channel.Id, channel.AllowAnonymous);
        }
        return TypedResults.Ok(channel.ToDto());
    }

    /// <summary>The caller's roles in the channel, through the same cached lookup Realtime uses.</summary>
    public static async Task<Results<Ok<ChannelRolesDto>, ProblemHttpResult>> GetMyRoles(
        Guid id, ClaimsPrincipal user, LiveDbContext db, IChannelRoleStore roles, CancellationToken cancellationToken)
    {
        if (!await db.Channels.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ChannelAccess.NotFound();
        }
        var r = await roles.GetAsync(id, user.UserId(), cancellationToken);
        return TypedResults.Ok(new ChannelRolesDto(r.IsOwner, r.IsModerator, r.IsSubscriber, r.IsFollower));
    }

    private static async Task<Results<Ok<KeysetPage<TOut>>, ValidationProblem>> PageBySlugAsync<TRow, TOut>(
        IQueryable<Channel> query, System.Linq.Expressions.Expression<Func<Channel, TRow>> select, Func<TRow, string> slugOf,
        int? limit, string? after, CancellationToken cancellationToken, Func<TRow, TOut>? map = null)
    {
        var errors = new Dictionary<string, string[]>();
        var pageSize = Keyset.Limit(limit, errors);
        if (after is not null && !ChannelSlug.IsValid(after))
        {
            errors["after"] = ["after must be a channel slug (the previous page's next)."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        if (after is not null)
        {
            // The slug column uses the "C" collation, so this comparison and ORDER BY agree byte for byte.
            query = query.Where(c => string.Compare(c.Slug, after) > 0);
        }
        // One extra row tells whether another page exists without a COUNT.
        var rows = await query.OrderBy(c => c.Slug).Take(pageSize + 1).Select(select).ToListAsync(cancellationToken);
        var next = rows.Count > pageSize ? slugOf(rows[pageSize - 1]) : null;
        var items = rows.Take(pageSize).Select(r => map is null ? (TOut)(object)r! : map(r)).ToList();
        return TypedResults.Ok(new KeysetPage<TOut>(items, next));
    }
}
