namespace LiveAspire.Api.Moderators;

/// <summary>A moderator appointed by a channel's performer (table <c>channel_moderators</c>).</summary>
public sealed class ChannelModerator
{
    public Guid ChannelId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset AppointedAt { get; set; }
    public Guid? AppointedBy { get; set; }
}

public sealed class ChannelModeratorConfiguration : IEntityTypeConfiguration<ChannelModerator>
{
    public void Configure(EntityTypeBuilder<ChannelModerator> moderator)
    {
        moderator.ToTable("channel_moderators");
        moderator.HasKey(m => new { m.ChannelId, m.UserId });
        moderator.Property(m => m.ChannelId).HasColumnName("channel_id");
        moderator.Property(m => m.UserId).HasColumnName("user_id");
        moderator.Property(m => m.AppointedAt).HasColumnName("appointed_at").HasDefaultValueSql("now()");
        moderator.Property(m => m.AppointedBy).HasColumnName("appointed_by");
        moderator.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        moderator.HasOne<Channel>().WithMany().HasForeignKey(m => m.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
