using System.Net;
using LiveAspire.Contracts.Errors;
using LiveAspire.Web.ApiClient;
using Microsoft.Extensions.Options;

namespace LiveAspire.Web.Sessions;

/// <summary>What asking for a session's access token gave.</summary>
public abstract record AccessTokenOutcome
{
    /// <summary>A token Api accepts now, valid until <see cref="ExpiresAt"/>; <see cref="Session"/> is the row as it now is.</summary>
    public sealed record Token(WebSession Session, string AccessToken, DateTimeOffset ExpiresAt) : AccessTokenOutcome;

    /// <summary>
    /// The session is over: Api refused its refresh token (<c>refresh_invalid</c>, <c>refresh_reused</c>) or the user
    /// is banned (<c>user_banned</c>), or the row was deleted meanwhile. The row is gone; the cookie must be cleared.
    /// </summary>
    public sealed record Ended(string ApiCode) : AccessTokenOutcome;

    /// <summary>No fresh token could be had (Api unreachable, rate limited, failing) and the stored one has expired; the session stays.</summary>
    public sealed record Unavailable(WebSession Session, ApiProblem Problem) : AccessTokenOutcome;
}

/// <summary>
/// Keeps a session's access token fresh without ever presenting one refresh token twice. A refresh happens only
/// under the row's lock (<see cref="SessionStore.LockAsync"/>): the request that gets the lock first re-reads the
/// row, refreshes if the token still needs it, and stores the rotated pair before committing; every request that
/// waited (another tab, another replica) then reads the new pair and finds nothing left to do. Api would treat a
/// second use of a rotated refresh token as theft and end the device's session (docs/accounts.md), so this is what
/// keeps several tabs and replicas signed in.
/// </summary>
public sealed partial class SessionTokens(SessionStore store, LiveApiClient api, IOptions<WebSessionOptions> options, TimeProvider time, ILogger<SessionTokens> logger)
{
    /// <summary>True when the session's token is fresh enough to use without refreshing.</summary>
    public bool IsFresh(WebSession session) => session.AccessExpiresAt - time.GetUtcNow() > options.Value.RefreshBefore;

    /// <summary>
    /// A token for the session: the stored one while it is fresh, otherwise one refreshed under the row lock. With
    /// <paramref name="rejected"/> (a token Api just refused, e.g. after a role change or revocation), refreshes
    /// unless the row already holds another token.
    /// </summary>
    public async Task<AccessTokenOutcome> GetAsync(WebSession session, string? rejected = null)
    {
        if (rejected is null && IsFresh(session))
        {
            return new AccessTokenOutcome.Token(session, session.AccessToken, session.AccessExpiresAt);
        }
        // Not the request's token: once Api has rotated the refresh token, the new pair must be stored whether or not
        // the browser is still waiting, or the stored (retired) token would be presented again next time. Api calls
        // are bounded by the client's timeout.
        var cancellationToken = CancellationToken.None;
        await using var locked = await store.LockAsync(session.IdHash, cancellationToken);
        if (locked.Session is not { } current)
        {
            return new AccessTokenOutcome.Ended(ApiErrorCodes.RefreshInvalid);
        }
        var needed = rejected is null ? !IsFresh(current) : current.AccessToken == rejected;
        if (!needed)
        {
            // Another request refreshed while this one waited for the lock.
            return new AccessTokenOutcome.Token(current, current.AccessToken, current.AccessExpiresAt);
        }
        var refreshed = await api.RefreshAsync(current.RefreshToken, cancellationToken);
        if (refreshed.Value is { } tokens)
        {
            await locked.ReplaceTokensAsync(tokens, cancellationToken);
            await locked.CommitAsync(cancellationToken);
            LogRefreshed(logger, current.UserId, tokens.AccessTokenExpiresAt);
            return new AccessTokenOutcome.Token(current with
            {
                AccessToken = tokens.AccessToken, AccessExpiresAt = tokens.AccessTokenExpiresAt, RefreshToken = tokens.RefreshToken,
                ExpiresAt = tokens.RefreshTokenExpiresAt, Username = tokens.User.Username, Role = tokens.User.Role,
            }, tokens.AccessToken, tokens.AccessTokenExpiresAt);
        }
        var problem = refreshed.Problem!;
        if (problem.Is(HttpStatusCode.Unauthorized) || problem.Code == ApiErrorCodes.UserBanned)
        {
            await locked.DeleteAsync(cancellationToken);
            await locked.CommitAsync(cancellationToken);
            LogEnded(logger, current.UserId, problem.Code);
            return new AccessTokenOutcome.Ended(problem.Code);
        }
        LogRefreshFailed(logger, current.UserId, problem.Status, problem.Code);
        // Nothing was rotated (or nothing is known to be): keep the row, and the current token while it still works.
        return rejected is null && current.AccessExpiresAt > time.GetUtcNow()
            ? new AccessTokenOutcome.Token(current, current.AccessToken, current.AccessExpiresAt)
            : new AccessTokenOutcome.Unavailable(current, problem);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Refreshed the access token of user {UserId}'s session; it expires at {ExpiresAt}")]
    private static partial void LogRefreshed(ILogger logger, Guid userId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Session of user {UserId} ended: Api refused its refresh with {Code}")]
    private static partial void LogEnded(ILogger logger, Guid userId, string code);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Could not refresh the session of user {UserId}: Api answered {Status} {Code}; the session is kept")]
    private static partial void LogRefreshFailed(ILogger logger, Guid userId, int status, string code);
}
