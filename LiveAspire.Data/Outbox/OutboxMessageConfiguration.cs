using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LiveAspire.Data.Outbox;

/// <summary>Maps <see cref="OutboxMessage"/> onto <c>outbox</c> as created by <c>0003_outbox.sql</c>.</summary>
public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.ToTable("outbox", t =>
        {
            t.HasCheckConstraint("outbox_partition_check", "partition >= 0");
            t.HasCheckConstraint("outbox_event_id_length", "length(event_id) BETWEEN 1 AND 64");
        });
        message.HasKey(m => m.Id);
        message.Property(m => m.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        message.Property(m => m.EventId).HasColumnName("event_id");
        message.Property(m => m.Room).HasColumnName("room");
        message.Property(m => m.Type).HasColumnName("type");
        message.Property(m => m.Data).HasColumnName("data").HasColumnType("jsonb");
        message.Property(m => m.Partition).HasColumnName("partition");
        message.Property(m => m.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        message.Property(m => m.PublishedAt).HasColumnName("published_at");
        message.Property(m => m.Attempts).HasColumnName("attempts").HasDefaultValue(0);
        message.HasIndex(m => new { m.Partition, m.Id }).HasFilter("published_at IS NULL").HasDatabaseName("outbox_unpublished");
    }
}

public static class OutboxModelBuilderExtensions
{
    /// <summary>Adds the outbox table to a context's model, so <see cref="IOutboxWriter.Add"/> works on that context.</summary>
    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfiguration(new OutboxMessageConfiguration());
}
