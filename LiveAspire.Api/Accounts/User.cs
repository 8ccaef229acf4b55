namespace LiveAspire.Api.Accounts;

/// <summary>An account (table <c>users</c>). Security state (role, session version, ban) lives here; Redis only caches it.</summary>
public sealed class User
{
    public Guid Id { get; set; }

    /// <summary>The name as typed at registration (display form).</summary>
    public required string Username { get; set; }

    /// <summary>Lower-case <see cref="Username"/>: unique, and what logins look up.</summary>
    public required string UsernameNormalized { get; set; }

    /// <summary>Normalized (trimmed, lower-case) address; unique.</summary>
    public required string Email { get; set; }

    public required string PasswordHash { get; set; }
    public DateTimeOffset? EmailVerifiedAt { get; set; }
    public string GlobalRole { get; set; } = Contracts.Auth.GlobalRoles.User;
    public int SessionVersion { get; set; } = 1;
    public DateTimeOffset? BannedAt { get; set; }
    public string? BanReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public MeResponse ToMe() => new(Id, Username, Email, EmailVerifiedAt is not null, GlobalRole);

    public UserSummary ToSummary() => new(Id, Username, GlobalRole);
}
