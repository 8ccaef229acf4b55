namespace LiveAspire.Api.Email;

public static class DevMailApi
{
    /// <summary>Mail a query returns at most, newest first.</summary>
    public const int MaxMessages = 50;

    /// <summary>
    /// Maps <c>GET /api/dev/mail?to=</c>, only in Development and Testing: the mailbox holds live verification and
    /// reset tokens, so no other environment may expose it (nor even has the table filled).
    /// </summary>
    public static IEndpointRouteBuilder MapDevMailApi(this IEndpointRouteBuilder api)
    {
        var environment = api.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (environment.IsDevelopment() || environment.IsEnvironment(EmailExtensions.TestingEnvironment))
        {
            api.MapGroup("/dev/mail").WithTags("Development").AllowAnonymous()
                .MapGet("", GetDevMail).WithName(nameof(GetDevMail));
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
