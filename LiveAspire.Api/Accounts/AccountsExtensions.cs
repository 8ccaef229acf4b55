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
        builder.AddEmail();

        // The default policy (plain RequireAuthorization()) admits user tokens only: an overlay token (claim tuse)
        // authenticates, but no endpoint accepts it unless it names a policy that allows it (none does yet).
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
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(LoginRateLimit, context => PerClientIp(context, LoginRateLimit, limits.Login));
            options.AddPolicy(RegisterRateLimit, context => PerClientIp(context, RegisterRateLimit, limits.Register));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                await rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests from this address; retry after the number of seconds in Retry-After.",
                        Extensions = { [ApiProblems.CodeExtension] = ApiErrorCodes.RateLimited },
                    },
                });
            };
        });
    }

    // Keyed by the connection's address: behind a reverse proxy, configure forwarded headers first (docs/accounts.md).
    private static RateLimitPartition<string> PerClientIp(HttpContext context, string policy, FixedWindowLimit limit)
        => RateLimitPartition.GetFixedWindowLimiter(
            $"{policy}:{context.Connection.RemoteIpAddress}",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit.PermitLimit, Window = limit.Window, QueueLimit = 0 });

    /// <summary>
    /// The middleware order the account endpoints rely on: errors become problem details with a <c>code</c>, status
    /// pages wrap authentication so its bare 401/403 get a body too, then authentication, authorization, rate limits.
    /// </summary>
    public static WebApplication UseApiPipeline(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
