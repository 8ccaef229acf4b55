namespace LiveAspire.Api.Channels;

/// <summary>Maps <see cref="Channel"/> onto <c>channels</c> as created by <c>0001_initial.sql</c>.</summary>
public sealed class ChannelConfiguration : IEntityTypeConfiguration<Channel>
{
    public void Configure(EntityTypeBuilder<Channel> channel)
    {
        channel.ToTable("channels", t => t.HasCheckConstraint("channels_slug_format", $"slug ~ '{ChannelSlug.Pattern}'"));
        channel.HasKey(c => c.Id);
        channel.Property(c => c.Id).HasColumnName("id").HasDefaultValueSql("gen_random_uuid()");
        channel.Property(c => c.Slug).HasColumnName("slug").UseCollation("C");
        channel.HasIndex(c => c.Slug).IsUnique().HasDatabaseName("channels_slug_key");
        channel.Property(c => c.DisplayName).HasColumnName("display_name");
        channel.Property(c => c.Title).HasColumnName("title").HasDefaultValue("");
        channel.Property(c => c.IsLive).HasColumnName("is_live").HasDefaultValue(false);
        channel.Property(c => c.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        channel.Property(c => c.OwnerId).HasColumnName("owner_id");
        channel.HasIndex(c => c.OwnerId).IsUnique().HasDatabaseName("channels_owner_key");
        channel.HasOne<Accounts.User>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Restrict);
        channel.Property(c => c.Category).HasColumnName("category").HasDefaultValue("");
        channel.Property(c => c.Description).HasColumnName("description").HasDefaultValue("");
        channel.Property(c => c.AvatarUrl).HasColumnName("avatar_url");
        channel.Property(c => c.Settings).HasColumnName("settings").HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        channel.Property(c => c.AllowAnonymous).HasColumnName("allow_anonymous");
    }
}
