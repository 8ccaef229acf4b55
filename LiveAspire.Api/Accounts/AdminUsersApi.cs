using LiveAspire.Contracts.Paging;

namespace LiveAspire.Api.Accounts;

public static class AdminUsersApi
{
    public static RouteGroupBuilder MapAdminUsersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/users").WithTags("Admin").RequireAuthorization(AccountsExtensions.AdminPolicy);
        group.MapGet("", SearchUsers).WithName(nameof(SearchUsers));
        group.MapPost("/{id:guid}/ban", Ban).WithName(nameof(Ban));
        group.MapPost("/{id:guid}/unban", Unban).WithName(nameof(Unban));
        group.MapPut("/{id:guid}/role", ChangeRole).WithName(nameof(ChangeRole));
        return group;
    }

    /// <summary>
    /// Users whose username starts with <paramref name="q"/> or whose email address does, case-insensitively, ordered
    /// by username and keyset-paged as the channel listings are (<paramref name="after"/>: the previous page's
    /// <c>next</c>, a lower-case username). Prefix matches only, which the unique indexes on both columns (collation "C")
    /// can answer however many users there are.
    /// </summary>
    public static async Task<Results<Ok<KeysetPage<AdminUser>>, ValidationProblem>> SearchUsers(
        string? q, int? limit, string? after, LiveDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var search = AccountRules.NormalizeUserSearch(q);
        if (search is null)
        {
            errors["q"] = [AccountRules.UserSearchRule];
        }
        var pageSize = Keyset.Limit(limit, errors);
        if (after is not null && AccountRules.NormalizeUsername(after) != after)
        {
            errors["after"] = ["after must be a lower-case username (the previous page's next)."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var prefix = Sql.LikePrefix(search!);
        var query = db.Users.AsNoTracking()
            .Where(u => EF.Functions.Like(u.UsernameNormalized, prefix, Sql.LikeEscape) || EF.Functions.Like(u.Email, prefix, Sql.LikeEscape));
        if (after is not null)
        {
            // username_normalized uses the "C" collation, so this comparison and ORDER BY agree byte for byte.
            query = query.Where(u => string.Compare(u.UsernameNormalized, after) > 0);
        }
        // One extra row tells whether another page exists without a COUNT.
        var rows = await query.OrderBy(u => u.UsernameNormalized).Take(pageSize + 1)
            .Select(u => new { u.UsernameNormalized, User = new AdminUser(u.Id, u.Username, u.Email, u.GlobalRole, u.BannedAt != null, u.CreatedAt) })
            .ToListAsync(cancellationToken);
        var next = rows.Count > pageSize ? rows[pageSize - 1].UsernameNormalized : null;
        return TypedResults.Ok(new KeysetPage<AdminUser>([.. rows.Take(pageSize).Select(r => r.User)], next));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Ban(
        Guid id, BanRequest request, ClaimsPrincipal admin, UserAdministration users, CancellationToken cancellationToken)
    {
        if (AccountRules.NormalizeBanReason(request.Reason) is not { } reason)
        {
            return ApiProblems.Validation("reason", $"reason must be 1 to {AccountRules.MaxBanReasonLength} characters without control characters.");
        }
        if (id == admin.UserId())
        {
            return NotSelf();
        }
        return Done(await users.BanAsync(id, reason, cancellationToken));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Unban(Guid id, UserAdministration users, CancellationToken cancellationToken)
        => await users.UnbanAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound();

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangeRole(
        Guid id, RoleChangeRequest request, ClaimsPrincipal admin, UserAdministration users, CancellationToken cancellationToken)
    {
        if (request.Role is not (GlobalRoles.User or GlobalRoles.Admin))
        {
            return ApiProblems.Validation("role", $"role must be '{GlobalRoles.User}' or '{GlobalRoles.Admin}'.");
        }
        // An admin demoting themselves could leave the platform without any admin.
        if (id == admin.UserId())
        {
            return NotSelf();
        }
        return Done(await users.ChangeRoleAsync(id, request.Role, cancellationToken));
    }

    private static Results<NoContent, ValidationProblem, ProblemHttpResult> Done(bool found) => found ? TypedResults.NoContent() : NotFound();

    private static ProblemHttpResult NotFound()
        => ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.UserNotFound, "No user has this id.");

    private static ProblemHttpResult NotSelf()
        => ApiProblems.Problem(StatusCodes.Status409Conflict, ApiErrorCodes.CannotTargetSelf, "Admins cannot ban themselves or change their own role.");
}
