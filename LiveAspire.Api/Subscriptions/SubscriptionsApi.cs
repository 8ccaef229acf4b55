using LiveAspire.Contracts.Paging;

namespace LiveAspire.Api.Subscriptions;

/// <summary>Subscription records: an admin grant (until payments arrive with the wallet) and the caller's own list.</summary>
public static class SubscriptionsApi
{
    /// <summary>Period of a grant when the request names no end.</summary>
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(30);

    public static RouteGroupBuilder MapSubscriptionsApi(this IEndpointRouteBuilder api)
    {
        var admin = api.MapGroup("/admin/subscriptions").WithTags("Subscriptions").RequireAuthorization(AccountsExtensions.AdminPolicy);
        admin.MapPost("", GrantSubscription).WithName(nameof(GrantSubscription));

        var mine = api.MapGroup("/me/subscriptions").WithTags("Subscriptions").RequireAuthorization();
        mine.MapGet("", ListMySubscriptions).WithName(nameof(ListMySubscriptions));
        return mine;
    }

    public static async Task<Results<Created<SubscriptionDto>, ValidationProblem, ProblemHttpResult>> GrantSubscription(
        GrantSubscriptionRequest request, ClaimsPrincipal admin, LiveDbContext db, IChannelRoleNotifier roles, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.UserId is null)
        {
            errors["userId"] = ["userId is required."];
        }
        if (request.ChannelId is null)
        {
            errors["channelId"] = ["channelId is required."];
        }
        if (request.Tier is not (>= 1 and <= 3))
        {
            errors["tier"] = ["tier must be 1, 2 or 3."];
        }
        var start = request.PeriodStart ?? time.GetUtcNow();
        var end = request.PeriodEnd ?? start + DefaultPeriod;
        if (end <= start)
        {
            errors["periodEnd"] = ["periodEnd must be after periodStart."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        if (!await db.Channels.AnyAsync(c => c.Id == request.ChannelId, cancellationToken))
        {
            return ChannelAccess.NotFound();
        }
        if (!await db.Users.AnyAsync(u => u.Id == request.UserId, cancellationToken))
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.UserNotFound, "No user has this id.");
        }
        var subscription = new Subscription
        {
            Id = Guid.CreateVersion7(), UserId = request.UserId!.Value, ChannelId = request.ChannelId!.Value, Tier = (short)request.Tier!.Value,
            PeriodStart = start, PeriodEnd = end, Source = Subscription.AdminGrant, GrantedBy = admin.UserId(),
        };
        db.Subscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        await roles.RolesChangedAsync(subscription.ChannelId, subscription.UserId);
        return TypedResults.Created($"/api/me/subscriptions", subscription.ToDto(time.GetUtcNow()));
    }

    /// <summary>The caller's subscriptions, newest record first, keyset-paged on (created_at, id).</summary>
    public static async Task<Results<Ok<KeysetPage<SubscriptionDto>>, ValidationProblem>> ListMySubscriptions(
        int? limit, string? after, ClaimsPrincipal user, LiveDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (size, position) = Keyset.Read(limit, after, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var userId = user.UserId();
        var (at, last) = position ?? (DateTimeOffset.MaxValue, Guid.Empty);
        var rows = await db.Subscriptions.FromSql($"""
            SELECT * FROM subscriptions
            WHERE user_id = {userId} AND ({position is null} OR (created_at, id) < ({at}, {last}))
            ORDER BY created_at DESC, id DESC LIMIT {size + 1}
            """).AsNoTracking().ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var next = rows.Count > size ? Keyset.Cursor(rows[size - 1].CreatedAt, rows[size - 1].Id) : null;
        return TypedResults.Ok(new KeysetPage<SubscriptionDto>(rows.Take(size).Select(s => s.ToDto(now)).ToList(), next));
    }
}
