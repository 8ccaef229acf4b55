namespace LiveAspire.Contracts.Accounts;

/// <summary>Body of <c>POST /api/auth/register</c>.</summary>
/// <param name="Username">3 to 32 characters of <c>A-Z a-z 0-9 _</c>; unique regardless of case.</param>
/// <param name="Email">The address verification and reset mails go to; unique regardless of case.</param>
/// <param name="Password">8 to 128 characters.</param>
public sealed record RegisterRequest(string? Username, string? Email, string? Password);

/// <summary>Answer of <c>POST /api/auth/register</c>.</summary>
/// <param name="UserId">The new account's id.</param>
public sealed record RegisterResponse(Guid UserId);

/// <summary>Body of <c>POST /api/auth/login</c>.</summary>
/// <param name="Login">Username or email address.</param>
/// <param name="Password">The account's password.</param>
/// <param name="DeviceId">A stable id the client picks per device or browser (1 to 64 of <c>A-Z a-z 0-9 . _ : -</c>); one refresh token per device.</param>
public sealed record LoginRequest(string? Login, string? Password, string? DeviceId);

/// <summary>Body of <c>POST /api/auth/refresh</c>.</summary>
/// <param name="RefreshToken">The refresh token from the last login or refresh; it works once.</param>
public sealed record RefreshRequest(string? RefreshToken);

/// <summary>Body of <c>POST /api/auth/logout</c>.</summary>
/// <param name="DeviceId">The device whose refresh token ends.</param>
public sealed record LogoutRequest(string? DeviceId);

/// <summary>Body of <c>POST /api/auth/verify-email</c>.</summary>
/// <param name="Token">The token from the verification mail.</param>
public sealed record VerifyEmailRequest(string? Token);

/// <summary>Body of <c>POST /api/auth/password-reset</c>.</summary>
/// <param name="Email">The account's address; the answer is the same whether or not it exists.</param>
public sealed record PasswordResetRequest(string? Email);

/// <summary>Body of <c>POST /api/auth/password-reset/confirm</c>.</summary>
/// <param name="Token">The token from the reset mail.</param>
/// <param name="NewPassword">8 to 128 characters.</param>
public sealed record PasswordResetConfirmRequest(string? Token, string? NewPassword);

/// <summary>Body of <c>POST /api/admin/users/{id}/ban</c>.</summary>
/// <param name="Reason">Why (1 to 500 characters); kept with the account.</param>
public sealed record BanRequest(string? Reason);

/// <summary>Body of <c>PUT /api/admin/users/{id}/role</c>.</summary>
/// <param name="Role"><c>user</c> or <c>admin</c>.</param>
public sealed record RoleChangeRequest(string? Role);
