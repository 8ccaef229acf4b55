namespace LiveAspire.Api.Subscriptions;

/// <summary>A subscription period of a user to a channel (table <c>subscriptions</c>).</summary>
public sealed class Subscription
{
    public const string AdminGrant = "admin_grant";

    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid ChannelId { get; set; }
    public short Tier { get; set; }
    public DateTimeOffset PeriodStart { get; set; }
    public DateTimeOffset PeriodEnd { get; set; }
    public required string Source { get; set; }
    public Guid? GrantedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public SubscriptionDto ToDto(DateTimeOffset now)
        => new(Id, UserId, ChannelId, Tier, PeriodStart, PeriodEnd, Source, PeriodStart <= now && now < PeriodEnd);
}

public sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> subscription)
    {
        subscription.ToTable("subscriptions", t =>
        {
            t.HasCheckConstraint("subscriptions_tier_check", "tier BETWEEN 1 AND 3");
            t.HasCheckConstraint("subscriptions_period_check", "period_end > period_start");
        });
        subscription.HasKey(s => s.Id);
        subscription.Property(s => s.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        subscription.Property(s => s.UserId).HasColumnName("user_id");
        subscription.Property(s => s.ChannelId).HasColumnName("channel_id");
        subscription.Property(s => s.Tier).HasColumnName("tier");
        subscription.Property(s => s.PeriodStart).HasColumnName("period_start");
        subscription.Property(s => s.PeriodEnd).HasColumnName("period_end");
        subscription.Property(s => s.Source).HasColumnName("source");
        subscription.Property(s => s.GrantedBy).HasColumnName("granted_by");
        subscription.Property(s => s.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        subscription.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        subscription.HasOne<Channel>().WithMany().HasForeignKey(s => s.ChannelId).OnDelete(DeleteBehavior.Cascade);
    }
}
