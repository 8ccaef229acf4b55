namespace LiveAspire.Api.Email;

/// <summary>A mail kept by the development mailbox (table <c>dev_mailbox</c>).</summary>
public sealed class DevMail
{
    public long Id { get; set; }
    public required string To { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public DevMailMessage ToDto() => new(Id, To, Subject, Body, CreatedAt);
}

public sealed class DevMailConfiguration : IEntityTypeConfiguration<DevMail>
{
    public void Configure(EntityTypeBuilder<DevMail> mail)
    {
        mail.ToTable("dev_mailbox");
        mail.HasKey(m => m.Id);
        mail.Property(m => m.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        mail.Property(m => m.To).HasColumnName("to_address").UseCollation("C");
        mail.HasIndex(m => new { m.To, m.Id }).IsDescending(false, true).HasDatabaseName("dev_mailbox_to");
        mail.Property(m => m.Subject).HasColumnName("subject");
        mail.Property(m => m.Body).HasColumnName("body");
        mail.Property(m => m.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
    }
}
