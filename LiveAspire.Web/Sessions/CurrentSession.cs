using System.Net;
using System.Security.Cryptography;
using LiveAspire.Contracts.Accounts;
using LiveAspire.Web.ApiClient;
using Microsoft.Extensions.Options;

namespace LiveAspire.Web.Sessions;

/// <summary>
/// The session of the request being served (scoped): found once from the cookie, its token made fresh before the
/// page renders (so the header and the page agree on who is signed in), signed in and out here. When a refresh ends
/// the session, the cookie is cleared and <see cref="EndedCode"/> says why, which the layout shows in words.
/// </summary>
public sealed class CurrentSession(
    IHttpContextAccessor contexts, SessionCookie cookie, SessionStore store, SessionTokens tokens, LiveApiClient api,
    IOptions<WebSessionOptions> options)
{
    private Task<AccessTokenOutcome?>? _loading;

    /// <summary>Set when this request found the session ended by Api (<c>refresh_invalid</c>, <c>refresh_reused</c>, <c>user_banned</c>).</summary>
    public string? EndedCode { get; private set; }

    private HttpContext Context => contexts.HttpContext ?? throw new InvalidOperationException("CurrentSession is used outside a request.");

    /// <summary>The signed-in session (its token made fresh when Api could be reached), or null. Loaded once per request.</summary>
    public async Task<WebSession?> GetAsync() => await TokenAsync() switch
    {
        AccessTokenOutcome.Token fresh => fresh.Session,
        AccessTokenOutcome.Unavailable { Session: var kept } => kept,
        _ => null,
    };

    /// <summary>
    /// The session's access token, refreshed under the row lock when it is near expiry: null without a session,
    /// <see cref="AccessTokenOutcome.Ended"/> when Api ended it now (the cookie is then cleared).
    /// </summary>
    public Task<AccessTokenOutcome?> TokenAsync() => _loading ??= LoadAsync();

    /// <summary>This request renders the Status page for an exception (Program.cs). Its session is not read again:
    /// reading it may be what failed (PostgreSQL unavailable), and an error page must render whatever failed.</summary>
    public bool IsErrorPage => Context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null;

    private async Task<AccessTokenOutcome?> LoadAsync()
    {
        var context = Context;
        if (IsErrorPage)
        {
            return null;
        }
        var idHash = cookie.ReadIdHash(context);
        if (idHash is null)
        {
            if (cookie.IsPresent(context))
            {
                cookie.Clear(context);
            }
            return null;
        }
        var session = await store.FindAsync(idHash, context.RequestAborted);
        if (session is null)
        {
            cookie.Clear(context);
            return null;
        }
        var outcome = await tokens.GetAsync(session);
        switch (outcome)
        {
            case AccessTokenOutcome.Token fresh:
                await store.TouchAsync(fresh.Session, options.Value.LastSeenResolution, context.RequestAborted);
                break;
            case AccessTokenOutcome.Ended ended:
                End(ended.ApiCode);
                break;
        }
        return outcome;
    }

    /// <summary>
    /// Calls Api as the signed-in user. When Api refuses the token (401: revoked, role changed), refreshes once under
    /// the row lock and calls again. Null when nobody is signed in or the session ended meanwhile; Api's problem
    /// when no fresh token could be had.
    /// </summary>
    public async Task<ApiResult<T>?> CallAsync<T>(Func<string, CancellationToken, Task<ApiResult<T>>> call)
    {
        var outcome = await TokenAsync();
        if (outcome is AccessTokenOutcome.Unavailable unavailable)
        {
            return ApiResult<T>.Failed(unavailable.Problem);
        }
        if (outcome is not AccessTokenOutcome.Token { Session: var session })
        {
            return null;
        }
        var cancellationToken = Context.RequestAborted;
        var result = await call(session.AccessToken, cancellationToken);
        if (result.Problem is { } problem && problem.Is(HttpStatusCode.Unauthorized))
        {
            switch (await tokens.GetAsync(session, rejected: session.AccessToken))
            {
                case AccessTokenOutcome.Token fresh:
                    _loading = Task.FromResult<AccessTokenOutcome?>(fresh);
                    return await call(fresh.AccessToken, cancellationToken);
                case AccessTokenOutcome.Ended ended:
                    End(ended.ApiCode);
                    return null;
            }
        }
        return result;
    }

    /// <summary>
    /// Logs in at Api with a device id of this session's own and, on success, stores the session and sets the cookie.
    /// A session this browser already had is signed out first (its device's refresh token ended), so a new sign-in
    /// never leaves an orphaned row or a live refresh token behind, and the id changes (no session fixation).
    /// </summary>
    public async Task<ApiResult<TokenResponse>> SignInAsync(string? login, string? password)
    {
        var context = Context;
        // One device per browser session: signing out here ends this session's refresh token and no other.
        var deviceId = "web-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var result = await api.LoginAsync(login, password, deviceId, context.RequestAborted);
        if (result.Value is { } signedIn)
        {
            if (await GetAsync() is not null)
            {
                await SignOutAsync(everywhere: false);
            }
            var id = SessionCookie.NewId();
            await store.CreateAsync(SessionCookie.Hash(id), deviceId, signedIn, CancellationToken.None);
            cookie.Write(context, id, signedIn.RefreshTokenExpiresAt);
            _loading = null;
            EndedCode = null;
        }
        return result;
    }

    /// <summary>
    /// Signs out this browser: Api ends this device's refresh token, the row is deleted and the cookie cleared. Done
    /// here whatever Api answered: the person asked to be signed out of this site.
    /// </summary>
    public async Task SignOutAsync(bool everywhere)
    {
        var context = Context;
        var session = await GetAsync();
        if (session is not null)
        {
            _ = everywhere
                ? await CallAsync((token, ct) => api.LogoutAllAsync(token, ct))
                : await CallAsync((token, ct) => api.LogoutAsync(token, session.DeviceId, ct));
            if (everywhere)
            {
                await store.DeleteAllOfUserAsync(session.UserId, CancellationToken.None);
            }
            await store.DeleteAsync(session.IdHash, CancellationToken.None);
        }
        cookie.Clear(context);
        _loading = Task.FromResult<AccessTokenOutcome?>(null);
    }

    private void End(string code)
    {
        EndedCode = code;
        cookie.Clear(Context);
        _loading = Task.FromResult<AccessTokenOutcome?>(new AccessTokenOutcome.Ended(code));
        Ended?.Invoke();
    }

    /// <summary>
    /// Raised when this request found the session ended. A page's own call to Api can find it after the layout has
    /// rendered the user's name (Api refused the token of a user banned a moment ago): the layout listens and renders
    /// again, so the response says "signed out" rather than a name that no longer stands.
    /// </summary>
    public event Action? Ended;
}
