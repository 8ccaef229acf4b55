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
}
