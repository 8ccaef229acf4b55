namespace LiveAspire.Data.Chat;

/// <summary>A channel as chat needs it: whether it exists, its performer, and the broadcast live now (if any).</summary>
/// <param name="OwnerId">Null for a channel without an owner (one that predates owners; admin-managed).</param>
public sealed record ChatChannel(Guid? OwnerId, Guid? BroadcastId, DateTimeOffset? BroadcastStartedAt);

/// <summary>A user as a chat message names them.</summary>
public sealed record ChatUser(Guid Id, string Username, string GlobalRole);

/// <summary>A message a reply answers: its sender and text.</summary>
public sealed record ChatParent(Guid Id, Guid SenderId, string SenderName, string Body);

/// <summary>An emote usable in a channel's chat: its own and the global ones.</summary>
public sealed record ChatEmote(Guid Id, string Code, bool IsChannelEmote);

/// <summary>A stored message the sweep publishes.</summary>
public sealed record UnpublishedChat(Guid Id, Guid ChannelId, string Message);

/// <summary>
/// The chat queries Realtime, Api and the Worker run against Api's schema (docs/chat.md). <c>SendChatTests</c> runs
/// each through the running system (send, reply, mention, sweep, history) against the migrated schema.
/// </summary>
public static class ChatQueries
{
    /// <summary>The channel's performer and live broadcast; null for an unknown channel.</summary>
    public static async Task<ChatChannel?> ReadChannelAsync(NpgsqlDataSource database, Guid channelId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT c.owner_id, s.id, s.started_at
              FROM channels c LEFT JOIN streams s ON s.channel_id = c.id AND s.ended_at IS NULL
             WHERE c.id = $1
            """);
        command.Parameters.Add(new() { Value = channelId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new ChatChannel(reader.IsDBNull(0) ? null : reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1),
            reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
    }

    /// <summary>The user with this id; null when there is none.</summary>
    public static async Task<ChatUser?> ReadUserAsync(NpgsqlDataSource database, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT id, username, global_role FROM users WHERE id = $1");
        command.Parameters.Add(new() { Value = userId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new ChatUser(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>The users whose lower-case names are in <paramref name="normalizedNames"/> (for mentions).</summary>
    public static async Task<IReadOnlyList<ChatUser>> FindUsersByNameAsync(NpgsqlDataSource database, IReadOnlyCollection<string> normalizedNames,
        CancellationToken cancellationToken)
    {
        if (normalizedNames.Count == 0)
        {
            return [];
        }
        await using var command = database.CreateCommand("SELECT id, username, global_role FROM users WHERE username_normalized = ANY($1)");
        command.Parameters.Add(new() { Value = normalizedNames.ToArray() });
        var users = new List<ChatUser>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(new ChatUser(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        }
        return users;
    }

    /// <summary>The channel's emotes and the global ones.</summary>
    public static async Task<IReadOnlyList<ChatEmote>> ReadEmotesAsync(NpgsqlDataSource database, Guid channelId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT id, code, channel_id IS NOT NULL FROM emotes WHERE channel_id = $1 OR channel_id IS NULL");
        command.Parameters.Add(new() { Value = channelId });
        var emotes = new List<ChatEmote>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            emotes.Add(new ChatEmote(reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2)));
        }
        return emotes;
    }

    /// <summary>The message of this channel a reply names, unless it was deleted; null otherwise.</summary>
    public static async Task<ChatParent?> ReadParentAsync(NpgsqlDataSource database, Guid channelId, Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT m.id, m.sender_id, u.username, m.body
              FROM chat_messages m JOIN users u ON u.id = m.sender_id
             WHERE m.id = $1 AND m.channel_id = $2 AND m.deleted_at IS NULL
            """);
        command.Parameters.Add(new() { Value = messageId });
        command.Parameters.Add(new() { Value = channelId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ChatParent(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3))
            : null;
    }

    /// <summary>Marks the messages published with the seq each got (those not marked yet).</summary>
    public static async Task MarkPublishedAsync(NpgsqlDataSource database, IReadOnlyCollection<(Guid Id, long Seq)> published, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            UPDATE chat_messages m SET published_at = now(), seq = p.seq
              FROM unnest($1::uuid[], $2::bigint[]) AS p (id, seq)
             WHERE m.id = p.id AND m.published_at IS NULL
            """);
        command.Parameters.Add(new() { Value = published.Select(p => p.Id).ToArray() });
        command.Parameters.Add(new() { Value = published.Select(p => p.Seq).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> messages stored more than <paramref name="olderThan"/> ago and never marked
    /// published, oldest first, locked for <paramref name="transaction"/> (<c>FOR UPDATE SKIP LOCKED</c>: two sweeps
    /// share the work instead of both publishing the same rows).
    /// </summary>
    public static async Task<IReadOnlyList<UnpublishedChat>> LockUnpublishedAsync(NpgsqlTransaction transaction, TimeSpan olderThan, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, channel_id, message::text FROM chat_messages
             WHERE published_at IS NULL AND sent_at < now() - $1
             ORDER BY sent_at
             LIMIT $2
               FOR UPDATE SKIP LOCKED
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = olderThan });
        command.Parameters.Add(new() { Value = limit });
        var rows = new List<UnpublishedChat>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UnpublishedChat(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2)));
        }
        return rows;
    }

    /// <summary>Marks the messages published inside <paramref name="transaction"/> (the sweep's own rows).</summary>
    public static async Task MarkPublishedAsync(NpgsqlTransaction transaction, IReadOnlyCollection<(Guid Id, long Seq)> published, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE chat_messages m SET published_at = now(), seq = p.seq
              FROM unnest($1::uuid[], $2::bigint[]) AS p (id, seq)
             WHERE m.id = p.id
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = published.Select(p => p.Id).ToArray() });
        command.Parameters.Add(new() { Value = published.Select(p => p.Seq).ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A page of a channel's history, newest first: the <c>chat.message</c> payloads (JSON text) of messages older
    /// than <paramref name="before"/> (all when null), deleted ones left out; one more than <paramref name="limit"/>
    /// is read, so the caller knows whether a next page exists.
    /// </summary>
    public static async Task<IReadOnlyList<(Guid Id, string Message)>> ReadHistoryAsync(NpgsqlDataSource database, Guid channelId, Guid? before,
        int limit, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("""
            SELECT id, message::text FROM chat_messages
             WHERE channel_id = $1 AND ($2::uuid IS NULL OR id < $2) AND deleted_at IS NULL
             ORDER BY id DESC
             LIMIT $3
            """);
        command.Parameters.Add(new() { Value = channelId });
        command.Parameters.Add(new() { Value = (object?)before ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = limit + 1 });
        var rows = new List<(Guid, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1)));
        }
        return rows;
    }
}
