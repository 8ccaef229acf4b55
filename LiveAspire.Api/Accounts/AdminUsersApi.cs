namespace LiveAspire.Api.Accounts;

public static class AdminUsersApi
{
    public static RouteGroupBuilder MapAdminUsersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/users").WithTags("Admin").RequireAuthorization(AccountsExtensions.AdminPolicy);
        group.MapPost("/{id:guid}/ban", Ban).WithName(nameof(Ban));
        group.MapPost("/{id:guid}/unban", Unban).WithName(nameof(Unban));
        group.MapPut("/{id:guid}/role", ChangeRole).WithName(nameof(ChangeRole));
        return group;
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
