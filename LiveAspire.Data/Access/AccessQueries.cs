namespace LiveAspire.Data.Access;

/// <summary>A user's security state (<c>users</c>).</summary>
/// <param name="SessionVersion">Current session version; tokens with a lower <c>sv</c> are revoked.</param>
/// <param name="Banned">Globally banned: no token of this user is accepted.</param>
public sealed record SessionState(int SessionVersion, bool Banned);

/// <summary>A user's roles in one channel (docs/architecture.md section 4). Looked up, never carried in a token.</summary>
/// <param name="IsOwner">The channel's performer.</param>
/// <param name="IsModerator">Appointed by the performer (<c>channel_moderators</c>).</param>
/// <param name="IsSubscriber">Holds a subscription whose period contains now.</param>
/// <param name="IsFollower">Follows the channel.</param>
/// <param name="SubscriberTier">The highest tier (1 to 3) of the subscriptions whose period contains now; 0 when none
/// (an entry cached before tiers were kept has <paramref name="IsSubscriber"/> with tier 0).</param>
public readonly record struct ChannelRoles(bool IsOwner, bool IsModerator, bool IsSubscriber, bool IsFollower, int SubscriberTier = 0)
{
    public static readonly ChannelRoles None = default;

    /// <summary>The performer or a moderator: who may read <c>mod:{channelId}</c> and moderate chat.</summary>
    public bool CanModerate => IsOwner || IsModerator;

    /// <summary>The roles as bit flags: owner 1, moderator 2, subscriber 4, follower 8, the subscriber tier in bits 4 and 5.</summary>
    public int ToFlags() => (IsOwner ? 1 : 0) | (IsModerator ? 2 : 0) | (IsSubscriber ? 4 : 0) | (IsFollower ? 8 : 0) | ((SubscriberTier & 3) << 4);

    public static ChannelRoles FromFlags(int flags) => new((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0, (flags >> 4) & 3);
}

/// <summary>
/// The reads other services make against Api's tables to decide access: whether a token still stands and what a
/// user may do in a channel. Every one runs in <c>DataQueryTests</c> against a freshly migrated schema, so a
/// migration that renames a column they read fails the suite instead of a running Realtime.
/// </summary>
public static class AccessQueries
{
    /// <summary>The user's session version and ban; null for an unknown user.</summary>
    public static async Task<SessionState?> ReadSessionStateAsync(NpgsqlDataSource dataSource, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT session_version, banned_at IS NOT NULL FROM users WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new SessionState(reader.GetInt32(0), reader.GetBoolean(1)) : null;
    }

    /// <summary>
    /// The user's roles in the channel (none for an unknown channel or user) and, when the user holds a subscription,
    /// how many seconds of its current period are left (so a cached answer can end with it); null otherwise.
    /// </summary>
    public static async Task<(ChannelRoles Roles, long? SubscriptionSecondsLeft)> ReadChannelRolesAsync(NpgsqlDataSource dataSource,
        Guid channelId, Guid userId, CancellationToken cancellationToken)
    {
        // Subscriptions count while now is inside their period.
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (SELECT 1 FROM channels WHERE id = $1 AND owner_id = $2),
                   EXISTS (SELECT 1 FROM channel_moderators WHERE channel_id = $1 AND user_id = $2),
                   EXISTS (SELECT 1 FROM follows WHERE channel_id = $1 AND user_id = $2),
                   (SELECT ceil(extract(epoch FROM max(period_end) - now()))::bigint FROM subscriptions
                     WHERE channel_id = $1 AND user_id = $2 AND period_start <= now() AND period_end > now()),
                   (SELECT max(tier)::integer FROM subscriptions
                     WHERE channel_id = $1 AND user_id = $2 AND period_start <= now() AND period_end > now())
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var secondsLeft = reader.IsDBNull(3) ? (long?)null : reader.GetInt64(3);
        var tier = reader.IsDBNull(4) ? 0 : reader.GetInt32(4);
        return (new ChannelRoles(reader.GetBoolean(0), reader.GetBoolean(1), secondsLeft is not null, reader.GetBoolean(2), tier), secondsLeft);
    }

    /// <summary>The channel of the overlay key while it is active (not revoked); null otherwise.</summary>
    public static async Task<Guid?> ReadActiveOverlayKeyChannelAsync(NpgsqlDataSource dataSource, Guid keyId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT channel_id FROM overlay_keys WHERE id = $1 AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        return await command.ExecuteScalarAsync(cancellationToken) as Guid?;
    }

    /// <summary>Whether the channel exists and allows anonymous viewers (<c>channels.allow_anonymous</c>): what a guest token needs.</summary>
    public static async Task<bool> ReadChannelAllowsGuestsAsync(NpgsqlDataSource dataSource, Guid channelId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT allow_anonymous FROM channels WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = channelId });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>
    /// Which of <paramref name="channelIds"/> exist and allow anonymous viewers, in one round trip (the periodic re-check
    /// of guest connections); a closed or deleted channel is absent from the answer.
    /// </summary>
    public static async Task<HashSet<Guid>> ReadChannelsAllowingGuestsAsync(NpgsqlDataSource dataSource,
        IReadOnlyCollection<Guid> channelIds, CancellationToken cancellationToken)
    {
        var open = new HashSet<Guid>(channelIds.Count);
        if (channelIds.Count == 0)
        {
            return open;
        }
        await using var command = dataSource.CreateCommand("SELECT id FROM channels WHERE id = ANY($1) AND allow_anonymous");
        command.Parameters.Add(new NpgsqlParameter { Value = channelIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            open.Add(reader.GetGuid(0));
        }
        return open;
    }

    /// <summary>
    /// The session state of each of <paramref name="userIds"/> that exists, in one round trip (the periodic re-check of
    /// open connections batches a slice of them); an unknown (deleted) user is absent from the answer.
    /// </summary>
    public static async Task<Dictionary<Guid, SessionState>> ReadSessionStatesAsync(NpgsqlDataSource dataSource,
        IReadOnlyCollection<Guid> userIds, CancellationToken cancellationToken)
    {
        var states = new Dictionary<Guid, SessionState>(userIds.Count);
        if (userIds.Count == 0)
        {
            return states;
        }
        await using var command = dataSource.CreateCommand("SELECT id, session_version, banned_at IS NOT NULL FROM users WHERE id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = userIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            states[reader.GetGuid(0)] = new SessionState(reader.GetInt32(1), reader.GetBoolean(2));
        }
        return states;
    }

    /// <summary>
    /// Which of <paramref name="keyIds"/> are active overlay keys (not revoked), with their channel, in one round trip;
    /// a revoked, rotated or unknown key is absent from the answer.
    /// </summary>
    public static async Task<Dictionary<Guid, Guid>> ReadActiveOverlayKeyChannelsAsync(NpgsqlDataSource dataSource,
        IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken)
    {
        var active = new Dictionary<Guid, Guid>(keyIds.Count);
        if (keyIds.Count == 0)
        {
            return active;
        }
        await using var command = dataSource.CreateCommand("SELECT id, channel_id FROM overlay_keys WHERE id = ANY($1) AND revoked_at IS NULL");
        command.Parameters.Add(new NpgsqlParameter { Value = keyIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            active[reader.GetGuid(0)] = reader.GetGuid(1);
        }
        return active;
    }
}
