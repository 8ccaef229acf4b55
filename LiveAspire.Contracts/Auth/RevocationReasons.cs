namespace LiveAspire.Contracts.Auth;

/// <summary>
/// Values of <see cref="RevocationNotice.Reason"/>, passed on to clients in <c>Revoked(reason)</c> before their connection
/// closes. docs/errors.md lists them (a test keeps them equal).
/// </summary>
public static class RevocationReasons
{
    /// <summary>The user logged out everywhere.</summary>
    public const string LogoutAll = "logout_all";

    /// <summary>An admin banned the user globally.</summary>
    public const string Banned = "banned";

    /// <summary>An admin changed the user's global role; a new token carries the new role.</summary>
    public const string RoleChanged = "role_changed";

    /// <summary>The password was reset through a mailed token.</summary>
    public const string PasswordReset = "password_reset";

    /// <summary>
    /// The session version rose (any of the above) and this connection learned it from the periodic re-check
    /// (<c>Revocation:RecheckInterval</c>), not from a notice, so the cause is unknown here.
    /// </summary>
    public const string SessionRevoked = "session_revoked";

    /// <summary>The overlay key this overlay connection's token was exchanged for was revoked or rotated.</summary>
    public const string OverlayKeyRevoked = "overlay_key_revoked";

    /// <summary>The channel of this guest connection no longer allows anonymous viewers (or no longer exists).</summary>
    public const string GuestsNotAllowed = "guests_not_allowed";
}
