namespace LiveAspire.Api.Accounts;

/// <summary>A single-use token mailed to a user (table <c>email_tokens</c>), stored as a SHA-256 hash.</summary>
public sealed class EmailToken
{
    public const string VerifyEmail = "verify_email";
    public const string ResetPassword = "reset_password";

    public Guid Id { get; set; }
    public Guid UserId { get; set; }

    /// <summary><see cref="VerifyEmail"/> or <see cref="ResetPassword"/>.</summary>
    public required string Purpose { get; set; }

    public required byte[] TokenHash { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class EmailTokenConfiguration : IEntityTypeConfiguration<EmailToken>
{
    public void Configure(EntityTypeBuilder<EmailToken> token)
    {
        token.ToTable("email_tokens", t => t.HasCheckConstraint("email_tokens_purpose_check", "purpose IN ('verify_email', 'reset_password')"));
        token.HasKey(t => t.Id);
        token.Property(t => t.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        token.Property(t => t.UserId).HasColumnName("user_id");
        token.HasIndex(t => t.UserId).HasDatabaseName("email_tokens_user");
        token.Property(t => t.Purpose).HasColumnName("purpose");
        token.Property(t => t.TokenHash).HasColumnName("token_hash");
        token.HasIndex(t => t.TokenHash).IsUnique().HasDatabaseName("email_tokens_token_hash_key");
        token.Property(t => t.ExpiresAt).HasColumnName("expires_at");
        token.Property(t => t.UsedAt).HasColumnName("used_at");
        token.Property(t => t.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
