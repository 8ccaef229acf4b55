using LiveAspire.Api.Email;
using LiveAspire.Api.Emotes;
using LiveAspire.Api.Follows;
using LiveAspire.Api.Moderators;
using LiveAspire.Api.Overlay;
using LiveAspire.Api.Streams;
using LiveAspire.Api.Subscriptions;
using LiveAspire.Data.Outbox;

namespace LiveAspire.Api.Data;

/// <summary>
/// EF Core view of <c>livedb</c>, used for queries and writes. The schema itself comes from the SQL files in
/// <c>LiveAspire.Data/Schema/Migrations</c>; every table and column name is mapped explicitly (snake_case) so the two stay
/// comparable, and <see cref="SchemaVerifier"/> checks they match.
/// </summary>
public sealed class LiveDbContext(DbContextOptions<LiveDbContext> options) : DbContext(options)
{
    /// <summary>The connection string name (<c>ConnectionStrings:livedb</c>), as the AppHost's database resource is called.</summary>
    public const string ConnectionName = "livedb";

    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<User> Users => Set<User>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<RetiredRefreshToken> RetiredRefreshTokens => Set<RetiredRefreshToken>();
    public DbSet<EmailToken> EmailTokens => Set<EmailToken>();
    public DbSet<DevMail> DevMail => Set<DevMail>();
    public DbSet<Broadcast> Streams => Set<Broadcast>();
    public DbSet<Follow> Follows => Set<Follow>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<ChannelModerator> ChannelModerators => Set<ChannelModerator>();
    public DbSet<Emote> Emotes => Set<Emote>();
    public DbSet<OverlayKey> OverlayKeys => Set<OverlayKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(LiveDbContext).Assembly);
        // The outbox's mapping lives with its writer (LiveAspire.Data), so IOutboxWriter.Add works on this context.
        modelBuilder.AddOutbox();
    }
}
