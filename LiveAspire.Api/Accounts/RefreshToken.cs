namespace LiveAspire.Api.Accounts;

/// <summary>A device's refresh token (table <c>refresh_tokens</c>): one per (user, device), stored as a SHA-256 hash.</summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public required string DeviceId { get; set; }
    public required byte[] TokenHash { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>A refresh token already rotated away (table <c>retired_refresh_tokens</c>); seeing it again is reuse.</summary>
public sealed class RetiredRefreshToken
{
    public required byte[] TokenHash { get; set; }
    public Guid UserId { get; set; }
    public required string DeviceId { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset RetiredAt { get; set; }
}

public sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> token)
    {
        token.ToTable("refresh_tokens");
        token.HasKey(t => t.Id);
        token.Property(t => t.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        token.Property(t => t.UserId).HasColumnName("user_id");
        token.Property(t => t.DeviceId).HasColumnName("device_id");
        token.HasIndex(t => new { t.UserId, t.DeviceId }).IsUnique().HasDatabaseName("refresh_tokens_user_device_key");
        token.Property(t => t.TokenHash).HasColumnName("token_hash");
        token.HasIndex(t => t.TokenHash).IsUnique().HasDatabaseName("refresh_tokens_token_hash_key");
        token.Property(t => t.ExpiresAt).HasColumnName("expires_at");
        token.Property(t => t.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        token.Property(t => t.LastUsedAt).HasColumnName("last_used_at");
        token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class RetiredRefreshTokenConfiguration : IEntityTypeConfiguration<RetiredRefreshToken>
{
    public void Configure(EntityTypeBuilder<RetiredRefreshToken> token)
    {
        token.ToTable("retired_refresh_tokens");
        token.HasKey(t => t.TokenHash);
        token.Property(t => t.TokenHash).HasColumnName("token_hash");
        token.Property(t => t.UserId).HasColumnName("user_id");
        token.Property(t => t.DeviceId).HasColumnName("device_id");
        token.Property(t => t.ExpiresAt).HasColumnName("expires_at");
        token.HasIndex(t => t.ExpiresAt).HasDatabaseName("retired_refresh_tokens_expiry");
        token.Property(t => t.RetiredAt).HasColumnName("retired_at").HasDefaultValueSql("now()");
        token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
