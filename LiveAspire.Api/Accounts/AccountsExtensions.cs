using System.Globalization;
using System.Threading.RateLimiting;
using LiveAspire.Api.Email;
using LiveAspire.Rooms.Redis;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace LiveAspire.Api.Accounts;

public static class AccountsExtensions
{
    public const string AdminPolicy = "admin";
    public const string LoginRateLimit = "login";
    public const string RegisterRateLimit = "register";
    public const string PasswordResetRateLimit = "password-reset";
    public const string RefreshRateLimit = "refresh";
    public const string OverlayTokenRateLimit = "overlay-token";
    public const string GuestTokenRateLimit = "guest-token";

    /// <summary>
    /// Accounts, tokens and sessions: the token issuer (throws <c>ConfigurationException</c> when
    /// <c>Auth:SigningKeyPem</c> is missing or unusable), session validation against PostgreSQL through the Redis
    /// cache, mail, the admin policy and the per-IP rate limits. Call after <c>AddLiveAspireAuthentication()</c>.
    /// </summary>
    public static TBuilder AddAccounts<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var auth = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection(AuthOptions.SectionName));
        builder.Services.AddSingleton(AccessTokenIssuer.FromOptions(auth));

        builder.AddLiveAspireRedisClient("redis");
        builder.Services.AddSessionValidation();
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<SessionRevoker>();
        builder.Services.AddSingleton<SessionService>();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<UserAdministration>();
        builder.Services.Configure<RateLimitOptions>(builder.Configuration.GetSection(RateLimitOptions.SectionName));
        builder.Services.AddSingleton<PasswordResetLimiter>();
        builder.AddEmail();

        // The default policy (plain RequireAuthorization()) admits user tokens only: an overlay or a guest token (claim
        // tuse) authenticates, but no endpoint accepts it unless it names a policy that allows it (none does yet).
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(IsUserToken).Build())
            .AddPolicy(AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireAssertion(IsUserToken).RequireClaim(TokenClaims.Role, GlobalRoles.Admin));
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ApiProblems.AddCode);
        builder.AddAuthRateLimits();
        return builder;
    }

    private static bool IsUserToken(AuthorizationHandlerContext context) => !context.User.HasClaim(c => c.Type == TokenClaims.TokenUse);

    private static void AddAuthRateLimits(this IHostApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(RateLimitOptions.SectionName).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var perClientIp = new Dictionary<string, FixedWindowLimit>
        {
            [LoginRateLimit] = limits.Login,
            [RegisterRateLimit] = limits.Register,
            [PasswordResetRateLimit] = limits.PasswordReset,
            [RefreshRateLimit] = limits.Refresh,
            [OverlayTokenRateLimit] = limits.OverlayToken,
            [GuestTokenRateLimit] = limits.GuestToken,
        };
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            foreach (var (policy, limit) in perClientIp)
            {
                options.AddPolicy(policy, context => PerClientIp(context, policy, limit));
            }
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                // A fixed window's refusal carries a wait (its window's length); should a lease ever lack it, the
                // policy's window is an honest upper bound all the same, so every 429 has a Retry-After.
                if (!rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    var policy = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                    retryAfter = policy is not null && perClientIp.TryGetValue(policy, out var limit) ? limit.Window : TimeSpan.FromMinutes(1);
                }
                await RateLimited(rejected.HttpContext, retryAfter, "Too many requests from this address; retry after the number of seconds in Retry-After.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
    }

    /// <summary>
    /// 429 <c>rate_limited</c> with <c>Retry-After</c> in whole seconds (at least 1), as every limit of the Api answers.
    /// </summary>
    public static ProblemHttpResult RateLimited(HttpContext context, TimeSpan retryAfter, string title)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, ApiErrorCodes.RateLimited, title);
    }

    // Keyed by the client's address: the connection's, or the browser's that Web names with its key (TrustedClientAddress;
    // docs/accounts.md). Behind a reverse proxy, configure forwarded headers first.
    private static RateLimitPartition<string> PerClientIp(HttpContext context, string policy, FixedWindowLimit limit)
        => RateLimitPartition.GetFixedWindowLimiter(
            $"{policy}:{TrustedClientAddress.Of(context)}",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit.PermitLimit, Window = limit.Window, QueueLimit = 0 });

    /// <summary>
    /// The middleware order the account endpoints rely on: the security headers outside everything (errors get them
    /// too), errors become problem details with a <c>code</c>, status pages wrap authentication so its bare 401/403 get
    /// a body too, then authentication, authorization, and the client's address (Web's forwarded one, or the peer's)
    /// just before the rate limits that are keyed by it.
    /// </summary>
    public static WebApplication UseApiPipeline(this WebApplication app)
    {
        app.UseApiSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseClientAddress();
        app.UseRateLimiter();
        return app;
    }
}
