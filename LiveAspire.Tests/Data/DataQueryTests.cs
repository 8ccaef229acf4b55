using LiveAspire.Api.Accounts;
using LiveAspire.Api.Channels;
using LiveAspire.Api.Data;
using LiveAspire.Api.Follows;
using LiveAspire.Api.Moderators;
using LiveAspire.Api.Overlay;
using LiveAspire.Api.Subscriptions;
using LiveAspire.Data.Access;
using LiveAspire.Data.Outbox;
using LiveAspire.Data.Schema;
using LiveAspire.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LiveAspire.Tests.Data;

/// <summary>
/// Every query the data library runs for a service other than Api, against a freshly migrated database: a migration
/// that renames or drops a column one of them reads fails here, not in a running Realtime or Worker.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DataQueryTests(PostgresFixture postgres) : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await postgres.CreateDatabaseAsync("queries");
        await new SchemaMigrator().ApplyAsync(_connectionString);
        _dataSource = NpgsqlDataSource.Create(_connectionString);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private LiveDbContext Context() => new(new DbContextOptionsBuilder<LiveDbContext>().UseNpgsql(_connectionString).Options);

    private async Task<(User Owner, User Viewer, Channel Channel)> SeedAsync()
    {
        await using var db = Context();
        var owner = NewUser("owner");
        var viewer = NewUser("viewer");
        db.AddRange(owner, viewer);
        await db.SaveChangesAsync();
        var channel = new Channel { Slug = "query-channel", DisplayName = "Query", OwnerId = owner.Id };
        db.Add(channel);
        await db.SaveChangesAsync();
        return (owner, viewer, channel);
    }

    private static User NewUser(string name) => new()
    {
        Username = name, UsernameNormalized = name, Email = $"{name}@example.test", PasswordHash = "x",
    };

    [Fact]
    public async Task SessionStateIsReadFromUsers()
    {
        var (owner, _, _) = await SeedAsync();
        await using (var db = Context())
        {
            await db.Users.Where(u => u.Id == owner.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionVersion, 4).SetProperty(x => x.BannedAt, DateTimeOffset.UtcNow));
        }

        Assert.Equal(new SessionState(4, true), await AccessQueries.ReadSessionStateAsync(_dataSource, owner.Id, default));
        Assert.Null(await AccessQueries.ReadSessionStateAsync(_dataSource, Guid.NewGuid(), default));
    }

    [Fact]
    public async Task SessionStatesOfManyUsersAreReadInOneQueryAndUnknownUsersAreLeftOut()
    {
        var (owner, viewer, _) = await SeedAsync();
        await using (var db = Context())
        {
            await db.Users.Where(u => u.Id == owner.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.SessionVersion, 7));
            await db.Users.Where(u => u.Id == viewer.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.BannedAt, DateTimeOffset.UtcNow));
        }

        var states = await AccessQueries.ReadSessionStatesAsync(_dataSource, [owner.Id, viewer.Id, Guid.NewGuid()], default);

        Assert.Equal(2, states.Count);
        Assert.Equal(new SessionState(7, false), states[owner.Id]);
        Assert.True(states[viewer.Id].Banned);
        Assert.Empty(await AccessQueries.ReadSessionStatesAsync(_dataSource, [], default));
    }

    [Fact]
    public async Task ChannelRolesAreReadFromOwnershipModeratorsFollowsAndSubscriptions()
    {
        var (owner, viewer, channel) = await SeedAsync();
        await using (var db = Context())
        {
            var now = DateTimeOffset.UtcNow;
            db.Add(new ChannelModerator { ChannelId = channel.Id, UserId = viewer.Id, AppointedAt = now });
            db.Add(new Follow { ChannelId = channel.Id, UserId = viewer.Id, FollowedAt = now });
            db.Add(new Subscription
            {
                ChannelId = channel.Id, UserId = viewer.Id, Tier = 1, Source = "admin_grant",
                PeriodStart = now.AddMinutes(-1), PeriodEnd = now.AddSeconds(30), CreatedAt = now,
            });
            await db.SaveChangesAsync();
        }

        var (ownerRoles, ownerSeconds) = await AccessQueries.ReadChannelRolesAsync(_dataSource, channel.Id, owner.Id, default);
        var (viewerRoles, viewerSeconds) = await AccessQueries.ReadChannelRolesAsync(_dataSource, channel.Id, viewer.Id, default);
        var (strangerRoles, _) = await AccessQueries.ReadChannelRolesAsync(_dataSource, Guid.NewGuid(), viewer.Id, default);

        Assert.Equal(new ChannelRoles(IsOwner: true, IsModerator: false, IsSubscriber: false, IsFollower: false), ownerRoles);
        Assert.Null(ownerSeconds);
        Assert.Equal(new ChannelRoles(IsOwner: false, IsModerator: true, IsSubscriber: true, IsFollower: true, SubscriberTier: 1), viewerRoles);
        Assert.Equal(viewerRoles, ChannelRoles.FromFlags(viewerRoles.ToFlags()));
        Assert.InRange(viewerSeconds!.Value, 1, 30);
        Assert.Equal(ChannelRoles.None, strangerRoles);
    }

    [Fact]
    public async Task AnOverlayKeyIsActiveUntilRevoked()
    {
        var (_, _, channel) = await SeedAsync();
        var key = new OverlayKey { ChannelId = channel.Id, KeyHash = [1, 2, 3], CreatedAt = DateTimeOffset.UtcNow };
        await using (var db = Context())
        {
            db.Add(key);
            await db.SaveChangesAsync();
        }

        var active = await AccessQueries.ReadActiveOverlayKeyChannelAsync(_dataSource, key.Id, default);
        await using (var db = Context())
        {
            await db.OverlayKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(k => k.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow));
        }
        var revoked = await AccessQueries.ReadActiveOverlayKeyChannelAsync(_dataSource, key.Id, default);

        Assert.Equal(channel.Id, active);
        Assert.Null(revoked);
        Assert.Empty(await AccessQueries.ReadActiveOverlayKeyChannelsAsync(_dataSource, [key.Id, Guid.NewGuid()], default));
    }

    [Fact]
    public async Task ActiveOverlayKeysOfManyAreReadInOneQuery()
    {
        var (_, _, channel) = await SeedAsync();
        var active = new OverlayKey { ChannelId = channel.Id, KeyHash = [4], CreatedAt = DateTimeOffset.UtcNow };
        var revoked = new OverlayKey { ChannelId = channel.Id, KeyHash = [5], CreatedAt = DateTimeOffset.UtcNow, RevokedAt = DateTimeOffset.UtcNow };
        await using (var db = Context())
        {
            db.AddRange(active, revoked);
            await db.SaveChangesAsync();
        }

        var found = await AccessQueries.ReadActiveOverlayKeyChannelsAsync(_dataSource, [active.Id, revoked.Id, Guid.NewGuid()], default);

        Assert.Equal(channel.Id, Assert.Single(found, k => k.Key == active.Id).Value);
        Assert.Single(found);
    }

    [Fact]
    public async Task AChannelAllowsGuestsWhileItExistsWithAllowAnonymousAndManyAreReadInOneQuery()
    {
        var (_, viewer, open) = await SeedAsync();
        var closed = new Channel { Slug = "query-closed", DisplayName = "Closed", OwnerId = viewer.Id, AllowAnonymous = false };
        await using (var db = Context())
        {
            db.Add(closed);
            await db.SaveChangesAsync();
        }
        var missing = Guid.NewGuid();

        Assert.True(await AccessQueries.ReadChannelAllowsGuestsAsync(_dataSource, open.Id, default));
        Assert.False(await AccessQueries.ReadChannelAllowsGuestsAsync(_dataSource, closed.Id, default));
        Assert.False(await AccessQueries.ReadChannelAllowsGuestsAsync(_dataSource, missing, default));
        Assert.Equal([open.Id], await AccessQueries.ReadChannelsAllowingGuestsAsync(_dataSource, [open.Id, closed.Id, missing], default));
        Assert.Empty(await AccessQueries.ReadChannelsAllowingGuestsAsync(_dataSource, [], default));
    }

    [Fact]
    public async Task OutboxRowsWrittenBothWaysAreReadLockedMarkedAndMeasuredByTheRelaysQueries()
    {
        var outbox = new OutboxOptions();
        var writer = new OutboxWriter(Options.Create(outbox), Options.Create(new RoomOptions()));
        var room = $"stream:{Guid.NewGuid():D}";
        var partition = OutboxPartitioner.Partition(room, outbox.Partitions);
        await using (var db = Context())
        {
            writer.Add(db, room, "test.ef", new { n = 1 }, "ef-row");
            await db.SaveChangesAsync();
        }
        await using (var connection = await _dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await writer.AddAsync(transaction, room, "test.sql", new { n = 2 }, "sql-row");
            await transaction.CommitAsync();
        }

        await using var relay = await _dataSource.OpenConnectionAsync();
        var held = await OutboxRelayQueries.TryLockAsync(relay, outbox.Partitions, default);
        var measured = await OutboxRelayQueries.MeasureAsync(relay, [partition], default);
        var batch = await OutboxRelayQueries.ReadBatchAsync(relay, partition, 10, default);
        await OutboxRelayQueries.MarkPublishedAsync(relay, batch, default);
        var after = await OutboxRelayQueries.ReadBatchAsync(relay, partition, 10, default);

        Assert.Equal(outbox.Partitions, held.Count);
        Assert.Equal(2, measured[partition].Item1);
        Assert.Equal(["ef-row", "sql-row"], batch.Select(r => r.EventId));
        Assert.All(batch, r => Assert.Equal(room, r.Room));
        Assert.Equal("""{"n": 2}""", batch[1].Data);
        Assert.Empty(after);
    }
}
