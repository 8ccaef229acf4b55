namespace LiveAspire.Api.Emotes;

/// <summary>A global (<see cref="ChannelId"/> null) or channel emote with its image (table <c>emotes</c>).</summary>
public sealed class Emote
{
    public Guid Id { get; set; }
    public Guid? ChannelId { get; set; }
    public required string Code { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Image { get; set; }
    public required byte[] Sha256 { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public EmoteDto ToDto() => new(Id, ChannelId, Code, ContentType, $"/api/emotes/{Id:D}/image", CreatedAt);
}

public sealed class EmoteConfiguration : IEntityTypeConfiguration<Emote>
{
    public void Configure(EntityTypeBuilder<Emote> emote)
    {
        emote.ToTable("emotes", t => t.HasCheckConstraint("emotes_code_format", $"code ~ '{EmoteRules.CodePattern}'"));
        emote.HasKey(e => e.Id);
        emote.Property(e => e.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        emote.Property(e => e.ChannelId).HasColumnName("channel_id");
        emote.Property(e => e.Code).HasColumnName("code").UseCollation("C");
        emote.HasIndex(e => new { e.ChannelId, e.Code }).IsUnique().AreNullsDistinct(false).HasDatabaseName("emotes_scope_code_key");
        emote.Property(e => e.ContentType).HasColumnName("content_type");
        emote.Property(e => e.Image).HasColumnName("image");
        emote.Property(e => e.Sha256).HasColumnName("sha256");
        emote.Property(e => e.CreatedBy).HasColumnName("created_by");
        emote.Property(e => e.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        emote.HasOne<Channel>().WithMany().HasForeignKey(e => e.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
