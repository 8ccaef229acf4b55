namespace LiveAspire.Contracts.Accounts;

/// <summary>Answer of a login or refresh: a short-lived access token and the device's next refresh token.</summary>
/// <param name="AccessToken">ES256 JWT for <c>Authorization: Bearer</c> (claims in docs/accounts.md).</param>
/// <param name="AccessTokenExpiresAt">When the access token stops being accepted.</param>
/// <param name="RefreshToken">Opaque; send it to <c>/api/auth/refresh</c> once, it is replaced by the answer's.</param>
/// <param name="RefreshTokenExpiresAt">When the refresh token expires if unused.</param>
/// <param name="User">Who is logged in.</param>
public sealed record TokenResponse(
    string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt, UserSummary User);

/// <summary>A user as shown next to tokens.</summary>
/// <param name="Id">User id (the token's <c>sub</c>).</param>
/// <param name="Username">Display form of the username.</param>
/// <param name="Role">Global role: <c>user</c> or <c>admin</c>.</param>
public sealed record UserSummary(Guid Id, string Username, string Role);

/// <summary>Answer of <c>GET /api/me</c>.</summary>
/// <param name="Id">User id.</param>
/// <param name="Username">Display form of the username.</param>
/// <param name="Email">Normalized (lower-case) address.</param>
/// <param name="EmailVerified">Whether the address was confirmed with a verification token.</param>
/// <param name="Role">Global role: <c>user</c> or <c>admin</c>.</param>
public sealed record MeResponse(Guid Id, string Username, string Email, bool EmailVerified, string Role);

/// <summary>A mail kept by the development mailbox (<c>GET /api/dev/mail</c>, Development and Testing only).</summary>
/// <param name="Id">Increasing id; newer mail has a larger one.</param>
/// <param name="To">Recipient address.</param>
/// <param name="Subject">Subject line.</param>
/// <param name="Body">Plain-text body.</param>
/// <param name="CreatedAt">When it was "sent".</param>
public sealed record DevMailMessage(long Id, string To, string Subject, string Body, DateTimeOffset CreatedAt);

/// <summary>A user as anyone signed in may see them (<c>GET /api/users/by-name/{username}</c>): no email, no role.</summary>
/// <param name="Id">User id: what <c>PUT /api/channels/{id}/moderators/{userId}</c> takes.</param>
/// <param name="Username">Display form of the username.</param>
public sealed record PublicUser(Guid Id, string Username);

/// <summary>A user as an admin's search lists them (<c>GET /api/admin/users?q=</c>).</summary>
/// <param name="Id">User id.</param>
/// <param name="Username">Display form of the username.</param>
/// <param name="Email">Normalized (lower-case) address.</param>
/// <param name="Role">Global role: <c>user</c> or <c>admin</c>.</param>
/// <param name="Banned">Whether the account is banned (<c>POST /api/admin/users/{id}/ban</c>).</param>
/// <param name="CreatedAt">When the account was registered.</param>
public sealed record AdminUser(Guid Id, string Username, string Email, string Role, bool Banned, DateTimeOffset CreatedAt);
