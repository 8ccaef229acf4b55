using System.Net;

namespace LiveAspire.Api.Email;

public static class DevMailApi
{
    /// <summary>Mail a query returns at most, newest first.</summary>
    public const int MaxMessages = 50;

    /// <summary>
    /// Maps <c>GET /api/dev/mail?to=</c>, only in Development and Testing: the mailbox holds live verification and
    /// reset tokens, so no other environment may expose it (nor even has the table filled). Even there it answers
    /// only callers on this machine (a loopback peer address); anyone else gets 404 <c>not_found</c>, as if it did
    /// not exist, so a development Api reachable from a network does not hand out other users' reset tokens.
    /// </summary>
    public static IEndpointRouteBuilder MapDevMailApi(this IEndpointRouteBuilder api)
    {
        var environment = api.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (environment.IsDevelopment() || environment.IsEnvironment(EmailExtensions.TestingEnvironment))
        {
            api.MapGroup("/dev/mail").WithTags("Development").AllowAnonymous()
                .MapGet("", GetDevMail).WithName(nameof(GetDevMail))
                .AddEndpointFilter(async (context, next) =>
                    context.HttpContext.Connection.RemoteIpAddress is { } peer && IPAddress.IsLoopback(peer)
                        ? await next(context)
                        : ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, "Not found."));
        }
        return api;
    }

    public static async Task<Results<Ok<List<DevMailMessage>>, ValidationProblem>> GetDevMail(
        LiveDbContext db, string? to, CancellationToken cancellationToken)
    {
        var address = Accounts.AccountRules.NormalizeEmail(to);
        if (address is null)
        {
            return ApiProblems.Validation("to", "to must be an email address.");
        }
        var mail = await db.DevMail.AsNoTracking().Where(m => m.To == address).OrderByDescending(m => m.Id)
            .Take(MaxMessages).ToListAsync(cancellationToken);
        return TypedResults.Ok(mail.Select(m => m.ToDto()).ToList());
    }
}
