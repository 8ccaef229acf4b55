namespace LiveAspire.Api.Follows;

/// <summary>A user follows a channel (table <c>follows</c>).</summary>
public sealed class Follow
{
    public Guid UserId { get; set; }
    public Guid ChannelId { get; set; }
    public DateTimeOffset FollowedAt { get; set; }
}

public sealed class FollowConfiguration : IEntityTypeConfiguration<Follow>
{
    public void Configure(EntityTypeBuilder<Follow> follow)
    {
        follow.ToTable("follows");
        follow.HasKey(f => new { f.UserId, f.ChannelId });
        follow.Property(f => f.UserId).HasColumnName("user_id");
        follow.Property(f => f.ChannelId).HasColumnName("channel_id");
        follow.Property(f => f.FollowedAt).HasColumnName("followed_at").HasDefaultValueSql("now()");
        follow.HasOne<User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        follow.HasOne<Channel>().WithMany().HasForeignKey(f => f.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
