namespace LiveAspire.Api.Overlay;

/// <summary>An overlay key (table <c>overlay_keys</c>): only its SHA-256 is stored; revoked when rotated.</summary>
public sealed class OverlayKey
{
    public Guid Id { get; set; }
    public Guid ChannelId { get; set; }
    public required byte[] KeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? RotatedFrom { get; set; }

    public OverlayKeyDto ToDto() => new(Id, ChannelId, CreatedAt, RevokedAt, RotatedFrom, RevokedAt is null);
}

public sealed class OverlayKeyConfiguration : IEntityTypeConfiguration<OverlayKey>
{
    public void Configure(EntityTypeBuilder<OverlayKey> key)
    {
        key.ToTable("overlay_keys");
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        key.Property(k => k.ChannelId).HasColumnName("channel_id");
        key.Property(k => k.KeyHash).HasColumnName("key_hash");
        key.HasIndex(k => k.KeyHash).IsUnique().HasDatabaseName("overlay_keys_key_hash_key");
        key.Property(k => k.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        key.Property(k => k.RevokedAt).HasColumnName("revoked_at");
        key.Property(k => k.RotatedFrom).HasColumnName("rotated_from");
        key.HasOne<Channel>().WithMany().HasForeignKey(k => k.ChannelId).OnDelete(DeleteBehavior.Cascade);
        key.HasOne<OverlayKey>().WithMany().HasForeignKey(k => k.RotatedFrom).OnDelete(DeleteBehavior.SetNull);
    }
}
