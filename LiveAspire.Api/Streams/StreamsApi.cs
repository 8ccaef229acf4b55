using LiveAspire.Contracts.Paging;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Data.Outbox;
using LiveAspire.Rooms;

namespace LiveAspire.Api.Streams;

/// <summary>
/// Going live, ending and retitling a broadcast. Each change and its event (<c>stream.started</c>,
/// <c>stream.ended</c>, <c>stream.updated</c> in <c>stream:{channelId}</c>) commit in one transaction through the
/// outbox: no dual write. <c>channels.is_live</c> follows from a trigger on <c>streams</c>.
/// </summary>
public static class StreamsApi
{
    public static RouteGroupBuilder MapStreamsApi(this IEndpointRouteBuilder api)
    {
        var reads = api.MapGroup("").WithTags("Streams").AllowAnonymous();
        reads.MapGet("/streams/{id:guid}", GetStream).WithName(nameof(GetStream));
        reads.MapGet("/channels/{id:guid}/streams", ListVods).WithName(nameof(ListVods));

        var writes = api.MapGroup("/channels/{id:guid}/streams").WithTags("Streams").RequireAuthorization();
        writes.MapPost("", GoLive).WithName(nameof(GoLive));
        writes.MapPost("/current/end", EndStream).WithName(nameof(EndStream));
        writes.MapPatch("/current", UpdateStream).WithName(nameof(UpdateStream));
        return writes;
    }

    public static async Task<Results<Ok<StreamDto>, ProblemHttpResult>> GetStream(Guid id, LiveDbContext db, CancellationToken cancellationToken)
        => await db.Streams.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken) is { } stream
            ? TypedResults.Ok(stream.ToDto())
            : ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.StreamNotFound, "No broadcast has this id.");

    /// <summary>A channel's ended broadcasts (VODs), newest first, keyset-paged on (started_at, id).</summary>
    public static async Task<Results<Ok<KeysetPage<StreamDto>>, ValidationProblem, ProblemHttpResult>> ListVods(
        Guid id, int? limit, string? after, LiveDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (size, position) = Keyset.Read(limit, after, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        if (!await db.Channels.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ChannelAccess.NotFound();
        }
        var (at, last) = position ?? (DateTimeOffset.MaxValue, Guid.Empty);
        var rows = await db.Streams.FromSql($"""
            SELECT * FROM streams
            WHERE channel_id = {id} AND ended_at IS NOT NULL
              AND ({position is null} OR (started_at, id) < ({at}, {last}))
            ORDER BY started_at DESC, id DESC LIMIT {size + 1}
            """).AsNoTracking().ToListAsync(cancellationToken);
        var next = rows.Count > size ? Keyset.Cursor(rows[size - 1].StartedAt, rows[size - 1].Id) : null;
        return TypedResults.Ok(new KeysetPage<StreamDto>(rows.Take(size).Select(s => s.ToDto()).ToList(), next));
    }

    /// <summary>Starts a broadcast: the performer only (an admin cannot go live for someone). 409 when already live.</summary>
    public static async Task<Results<Created<StreamDto>, ValidationProblem, ProblemHttpResult>> GoLive(
        Guid id, StartStreamRequest? request, ClaimsPrincipal user, LiveDbContext db, IOutboxWriter outbox, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var title = ChannelRules.Name("title", request?.Title, ChannelRules.MaxTitle, false, errors);
        var category = ChannelRules.Name("category", request?.Category, ChannelRules.MaxCategory, false, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: false, cancellationToken);
        if (channel is null)
        {
            return problem!;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stream = new Broadcast { Id = Guid.CreateVersion7(), ChannelId = id, Title = title ?? channel.Title, Category = category ?? channel.Category };
        channel.Title = stream.Title;
        channel.Category = stream.Category;
        db.Streams.Add(stream);
        try
        {
            // First save: the row gets started_at from the database clock (the same clock that ends it).
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // streams_one_open: a broadcast is already open (checked by the index, so concurrent requests cannot both win).
            return AlreadyLive();
        }
        outbox.Add(db, RoomName.Stream(id).ToString(), EventTypes.StreamStarted,
            new StreamStarted(stream.Id, id, stream.Title, stream.Category, stream.StartedAt), $"stream.started:{stream.Id:N}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/streams/{stream.Id:D}", stream.ToDto());
    }

    /// <summary>Ends the live broadcast, which becomes a VOD with its duration; the performer or an admin.</summary>
    public static async Task<Results<Ok<StreamDto>, ProblemHttpResult>> EndStream(
        Guid id, ClaimsPrincipal user, LiveDbContext db, IOutboxWriter outbox, CancellationToken cancellationToken)
    {
        var (changed, problem) = await ChangeOpenBroadcastAsync(id, user, db, async (_, stream) =>
        {
            await db.Database.ExecuteSqlAsync($"UPDATE streams SET ended_at = greatest(now(), started_at) WHERE id = {stream.Id}", cancellationToken);
            await db.Entry(stream).ReloadAsync(cancellationToken);
            outbox.Add(db, RoomName.Stream(id).ToString(), EventTypes.StreamEnded,
                new StreamEnded(stream.Id, id, stream.EndedAt!.Value, (long)stream.Duration!.Value.TotalSeconds), $"stream.ended:{stream.Id:N}");
        }, cancellationToken);
        return changed is null ? problem! : TypedResults.Ok(changed.ToDto());
    }

    /// <summary>Changes the live broadcast's title or category (and the channel's, which listings show); the performer or an admin.</summary>
    public static async Task<Results<Ok<StreamDto>, ValidationProblem, ProblemHttpResult>> UpdateStream(
        Guid id, UpdateStreamRequest request, ClaimsPrincipal user, LiveDbContext db, IOutboxWriter outbox, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var title = ChannelRules.Name("title", request.Title, ChannelRules.MaxTitle, false, errors);
        var category = ChannelRules.Name("category", request.Category, ChannelRules.MaxCategory, false, errors);
        if (title is null && category is null && errors.Count == 0)
        {
            errors["title"] = ["Give title, category or both."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var (changed, problem) = await ChangeOpenBroadcastAsync(id, user, db, (channel, stream) =>
        {
            stream.Title = channel.Title = title ?? stream.Title;
            stream.Category = channel.Category = category ?? stream.Category;
            outbox.Add(db, RoomName.Stream(id).ToString(), EventTypes.StreamUpdated, new StreamUpdated(stream.Id, id, stream.Title, stream.Category));
            return Task.CompletedTask;
        }, cancellationToken);
        return changed is null ? problem! : TypedResults.Ok(changed.ToDto());
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the channel's open broadcast and commits it with what the change adds (its
    /// outbox event) in one transaction. The caller must be the performer or an admin (403, 404 otherwise); 409
    /// <c>stream_not_live</c> when no broadcast is open. Returns the changed broadcast, or the problem.
    /// </summary>
    private static async Task<(Broadcast? Stream, ProblemHttpResult? Problem)> ChangeOpenBroadcastAsync(
        Guid id, ClaimsPrincipal user, LiveDbContext db, Func<Channel, Broadcast, Task> change, CancellationToken cancellationToken)
    {
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: true, cancellationToken);
        if (channel is null)
        {
            return (null, problem!);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // The row lock makes a concurrent end (or update) wait, then find no open broadcast.
        var stream = await db.Streams.FromSql($"SELECT * FROM streams WHERE channel_id = {id} AND ended_at IS NULL FOR UPDATE")
            .FirstOrDefaultAsync(cancellationToken);
        if (stream is null)
        {
            return (null, NotLive());
        }
        await change(channel, stream);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (stream, null);
    }

    private static ProblemHttpResult AlreadyLive()
        => ApiProblems.Problem(StatusCodes.Status409Conflict, ApiErrorCodes.StreamAlreadyLive, "The channel is already live.");

    private static ProblemHttpResult NotLive()
        => ApiProblems.Problem(StatusCodes.Status409Conflict, ApiErrorCodes.StreamNotLive, "The channel is not live.");
}
