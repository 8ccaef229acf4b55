using System.Data.Common;
using LiveAspire.Access;
using LiveAspire.Contracts.Auth;
using LiveAspire.Data.Access;
using LiveAspire.Realtime.Connections;
using LiveAspire.Realtime.Delivery;

namespace LiveAspire.Realtime.Access;

/// <summary>The periodic re-check of open connections, bound from configuration section <c>Revocation</c>.</summary>
public sealed class RevocationOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "Revocation";

    /// <summary>
    /// How often each open connection's session (session version, ban), overlay key or guest channel is checked again
    /// against PostgreSQL: the longest a connection stays open after a revocation whose notice was lost, and the longest
    /// a guest stays after its channel stopped allowing anonymous viewers. Default 60 s.
    /// </summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Into how many slices the connections are split (by user, by overlay key, or a guest's by its channel): every
    /// <see cref="RecheckInterval"/> / <c>RecheckSlices</c> one slice is checked, with one query for its users, one for
    /// its keys and one for its guests' channels (each only when the slice has any), so the work is spread over the
    /// interval. Count; default 12 (one slice every 5 s by default).
    /// </summary>
    public int RecheckSlices { get; set; } = 12;
}

/// <summary>
/// Bounds how long a revocation whose notice was lost (a Redis blip while Api published it) leaves connections open:
/// one loop on this replica walks its connections in <see cref="RevocationOptions.RecheckSlices"/> slices spread over
/// <see cref="RevocationOptions.RecheckInterval"/>, reads the current state of the slice's users, overlay keys and
/// guest channels from PostgreSQL in one query each (<see cref="AccessRecheckReader"/>, not the Redis cache, which the
/// same blip can leave stale), and revokes what no longer stands: a banned user's connections (<c>banned</c>),
/// connections opened with an older session version or of a deleted user (<c>session_revoked</c>), overlay connections
/// of a revoked or rotated key (<c>overlay_key_revoked</c>), guest connections of a channel that no longer allows
/// anonymous viewers or was deleted (<c>guests_not_allowed</c>: Api sends no notice for that change, so this is how
/// guests leave). A connection's slice is its user's (or key's, or guest channel's), so a user's connections, and the
/// guests of one channel, are checked together, with one row read. While PostgreSQL cannot be reached a slice is
/// skipped (logged) and nothing is closed: the next pass tries again.
/// <para>An expired token is not a reason: as for users, a token is checked when a connection opens, and the open
/// connection outlives it (docs/protocol.md); a guest whose channel still allows guests stays, and asks for a new guest
/// token only to reconnect.</para>
/// </summary>
public sealed partial class SessionRecheck(
    ConnectionRegistry registry,
    AccessRecheckReader reader,
    ConnectionRevoker revoker,
    IOptions<RevocationOptions> options,
    TimeProvider time,
    ILogger<SessionRecheck> logger) : BackgroundService
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Ids per query: a slice larger than this (a very full replica) is read in several.</summary>
    private const int MaxIdsPerQuery = 1000;

    /// <summary>The slice of a user, an overlay key or a guest channel: stable for the process's life, even over random ids.</summary>
    public static int SliceOf(Guid owner, int slices) => (int)((uint)owner.GetHashCode() % (uint)slices);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RecheckInterval;
        // A tick finer than 100 ms spreads nothing more and only costs passes over the registry.
        var slices = Math.Clamp(options.Value.RecheckSlices, 1, Math.Max(1, (int)(interval / TimeSpan.FromMilliseconds(100))));
        using var timer = new PeriodicTimer(interval / slices, time);
        var slice = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckSliceAsync(slice, slices, stoppingToken);
                slice = (slice + 1) % slices;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Checks the connections of one slice; for tests and the loop.</summary>
    public async Task CheckSliceAsync(int slice, int slices, CancellationToken cancellationToken)
    {
        var users = new Dictionary<Guid, List<LiveConnection>>();
        var keys = new Dictionary<Guid, List<LiveConnection>>();
        var guestChannels = new Dictionary<Guid, List<LiveConnection>>();
        foreach (var connection in registry.All())
        {
            var (owner, byOwner) = connection.UserId is { } user ? (user, users)
                : connection.OverlayKeyId is { } key ? (key, keys)
                : connection.GuestChannelId is { } channel ? (channel, guestChannels)
                : (Guid.Empty, null);
            if (byOwner is null || connection.Revoking != 0 || SliceOf(owner, slices) != slice)
            {
                continue;
            }
            if (!byOwner.TryGetValue(owner, out var list))
            {
                byOwner[owner] = list = [];
            }
            list.Add(connection);
        }
        if (users.Count == 0 && keys.Count == 0 && guestChannels.Count == 0)
        {
            return;
        }
        var revoking = new List<Task>();
        try
        {
            foreach (var chunk in users.Keys.Chunk(MaxIdsPerQuery))
            {
                var states = await QueryAsync(ct => reader.ReadSessionStatesAsync(chunk, ct), cancellationToken);
                foreach (var user in chunk)
                {
                    var state = states.GetValueOrDefault(user);
                    foreach (var connection in users[user])
                    {
                        if (ReasonToRevoke(connection, state) is { } reason)
                        {
                            revoking.Add(revoker.RevokeAsync(connection, reason, "recheck"));
                        }
                    }
                }
            }
            foreach (var chunk in keys.Keys.Chunk(MaxIdsPerQuery))
            {
                var active = await QueryAsync(ct => reader.ReadActiveOverlayKeysAsync(chunk, ct), cancellationToken);
                foreach (var key in chunk)
                {
                    foreach (var connection in keys[key])
                    {
                        if (active.GetValueOrDefault(key) is var channel && channel != connection.OverlayChannelId)
                        {
                            revoking.Add(revoker.RevokeAsync(connection, RevocationReasons.OverlayKeyRevoked, "recheck"));
                        }
                    }
                }
            }
            foreach (var chunk in guestChannels.Keys.Chunk(MaxIdsPerQuery))
            {
                var open = await QueryAsync(ct => reader.ReadChannelsAllowingGuestsAsync(chunk, ct), cancellationToken);
                foreach (var channel in chunk.Where(c => !open.Contains(c)))
                {
                    foreach (var connection in guestChannels[channel])
                    {
                        revoking.Add(revoker.RevokeAsync(connection, RevocationReasons.GuestsNotAllowed, "recheck"));
                    }
                }
            }
        }
        catch (Exception e) when (e is DbException or TimeoutException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogRecheckFailed(logger, e.GetType().Name);
        }
        await Task.WhenAll(revoking);
    }

    /// <summary>Why <paramref name="connection"/> must close given its user's current <paramref name="state"/> (null: the user is gone); null when it stands.</summary>
    public static string? ReasonToRevoke(LiveConnection connection, SessionState? state) => state switch
    {
        null => RevocationReasons.SessionRevoked,
        { Banned: true } => RevocationReasons.Banned,
        _ when connection.SessionVersion < state.SessionVersion => RevocationReasons.SessionRevoked,
        _ => null,
    };

    private static async Task<T> QueryAsync<T>(Func<CancellationToken, Task<T>> query, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(QueryTimeout);
        return await query(timeout.Token);
    }

    [LoggerMessage(EventId = 3603, Level = LogLevel.Warning, Message = "The periodic session re-check could not read PostgreSQL ({Error}); this slice is checked again on the next pass")]
    private static partial void LogRecheckFailed(ILogger logger, string error);
}
