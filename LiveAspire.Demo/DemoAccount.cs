using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Errors;
using LiveAspire.Demo.Api;

namespace LiveAspire.Demo;

/// <summary>The demo cannot use an account: its name belongs to someone else, or it was made with another password.</summary>
public sealed class DemoAccountUnavailable(string message) : Exception(message);

/// <summary>
/// One demo performer's account, signed in as a client stays signed in: registered once (the first run; later runs
/// find it), one login per start, then the refresh token, rotated once per access token (15 minutes). So a restart
/// costs one login per performer, and a long run no login at all, far inside the per-address limits. Refreshes are
/// serialised: a refresh token works once, and two refreshes racing with it would end the session
/// (<c>refresh_reused</c>, docs/accounts.md). Both the performer and, when it visits other channels, its viewer
/// use the same tokens.
/// </summary>
public sealed partial class DemoAccount(DemoRole role, string password, DemoApi api, ILogger<DemoAccount> logger)
{
    /// <summary>The device the demo signs in from: one refresh token per account.</summary>
    public const string DeviceId = "liveaspire-demo";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private TokenResponse? _tokens;
    private DateTimeOffset _renewAt;
    private volatile bool _refused;

    public DemoRole Role => role;

    /// <summary>The account's id, once signed in.</summary>
    public Guid? UserId => _tokens?.User.Id;

    /// <summary>An access token with time left: signs in first, or refreshes one past two thirds of its life.</summary>
    public async ValueTask<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_tokens is null)
            {
                Keep(await SignInAsync(cancellationToken));
            }
            else if (_refused || DateTimeOffset.UtcNow >= _renewAt)
            {
                try
                {
                    Keep(await api.RefreshAsync(_tokens.RefreshToken, cancellationToken));
                }
                catch (ApiRefusal e) when (e.Status == 401)
                {
                    // The session ended (logged out everywhere, or the refresh token expired): sign in again.
                    LogSessionEnded(logger, role.Username, e.Code);
                    Keep(await SignInAsync(cancellationToken));
                }
            }
            return _tokens!.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Api refused the access token before its time: the next <see cref="AccessTokenAsync"/> renews it (a
    /// refresh, or a login when the session ended).</summary>
    public void TokenRefused() => _refused = true;

    private void Keep(TokenResponse tokens)
    {
        _tokens = tokens;
        _refused = false;
        var now = DateTimeOffset.UtcNow;
        _renewAt = now + (tokens.AccessTokenExpiresAt - now) * 2 / 3;
    }

    /// <summary>Logs in; an account that does not exist yet is registered first (the first run).</summary>
    private async Task<TokenResponse> SignInAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await api.LoginAsync(role.Username, password, DeviceId, cancellationToken);
        }
        catch (ApiRefusal e) when (e.Code == ApiErrorCodes.InvalidCredentials)
        {
        }
        try
        {
            await api.RegisterAsync(role.Username, role.Email, password, cancellationToken);
            LogRegistered(logger, role.Username);
        }
        catch (ApiRefusal e) when (e.Code is ApiErrorCodes.UsernameTaken or ApiErrorCodes.EmailTaken)
        {
            throw new DemoAccountUnavailable(
                $"the account {role.Username} exists but refuses the demo's password ({e.Code}): someone else registered the name, or the state folder's secrets/demo-account-password changed");
        }
        return await api.LoginAsync(role.Username, password, DeviceId, cancellationToken);
    }

    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Registered the demo account {Username}")]
    private static partial void LogRegistered(ILogger logger, string username);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Information, Message = "The session of demo account {Username} ended ({Code}); signing in again")]
    private static partial void LogSessionEnded(ILogger logger, string username, string code);
}
