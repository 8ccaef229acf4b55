namespace LiveAspire.Api.Streams;

/// <summary>One broadcast of a channel (table <c>streams</c>); once ended, the VOD with the same id.</summary>
public sealed class Broadcast
{
    public Guid Id { get; set; }
    public Guid ChannelId { get; set; }
    public string Title { get; set; } = "";
    public string Category { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Computed by PostgreSQL from the two timestamps (a stored generated column); null while live.</summary>
    public TimeSpan? Duration { get; private set; }

    public StreamDto ToDto() => new(Id, ChannelId, Title, Category, StartedAt, EndedAt, (long?)Duration?.TotalSeconds);
}

/// <summary>Maps <see cref="Broadcast"/> onto <c>streams</c> (<c>0004_social.sql</c>).</summary>
public sealed class BroadcastConfiguration : IEntityTypeConfiguration<Broadcast>
{
    public void Configure(EntityTypeBuilder<Broadcast> stream)
    {
        stream.ToTable("streams", t => t.HasCheckConstraint("streams_end_after_start", "ended_at IS NULL OR ended_at >= started_at"));
        stream.HasKey(s => s.Id);
        stream.Property(s => s.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        stream.Property(s => s.ChannelId).HasColumnName("channel_id");
        stream.HasOne<Channel>().WithMany().HasForeignKey(s => s.ChannelId).OnDelete(DeleteBehavior.Cascade);
        stream.Property(s => s.Title).HasColumnName("title").HasDefaultValue("");
        stream.Property(s => s.Category).HasColumnName("category").HasDefaultValue("");
        stream.Property(s => s.StartedAt).HasColumnName("started_at").HasDefaultValueSql("now()");
        stream.Property(s => s.EndedAt).HasColumnName("ended_at");
        stream.Property(s => s.Duration).HasColumnName("duration").HasComputedColumnSql("ended_at - started_at", stored: true);
        stream.HasIndex(s => s.ChannelId).IsUnique().HasFilter("ended_at IS NULL").HasDatabaseName("streams_one_open");
    }
}
