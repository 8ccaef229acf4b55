namespace LiveAspire.Api.Accounts;

/// <summary>Maps <see cref="User"/> onto <c>users</c> as created by <c>0002_accounts.sql</c>.</summary>
public sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> user)
    {
        user.ToTable("users", t =>
        {
            t.HasCheckConstraint("users_username_format", $"username_normalized ~ '{AccountRules.UsernamePattern}' AND lower(username) = username_normalized");
            t.HasCheckConstraint("users_global_role_check", "global_role IN ('user', 'admin')");
        });
        user.HasKey(u => u.Id);
        user.Property(u => u.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        user.Property(u => u.Username).HasColumnName("username");
        user.Property(u => u.UsernameNormalized).HasColumnName("username_normalized").UseCollation("C");
        user.HasIndex(u => u.UsernameNormalized).IsUnique().HasDatabaseName("users_username_key");
        user.Property(u => u.Email).HasColumnName("email").UseCollation("C");
        user.HasIndex(u => u.Email).IsUnique().HasDatabaseName("users_email_key");
        user.Property(u => u.PasswordHash).HasColumnName("password_hash");
        user.Property(u => u.EmailVerifiedAt).HasColumnName("email_verified_at");
        user.Property(u => u.GlobalRole).HasColumnName("global_role").HasDefaultValue(Contracts.Auth.GlobalRoles.User);
        user.Property(u => u.SessionVersion).HasColumnName("session_version").HasDefaultValue(1);
        user.Property(u => u.BannedAt).HasColumnName("banned_at");
        user.Property(u => u.BanReason).HasColumnName("ban_reason");
        user.Property(u => u.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
    }
}
