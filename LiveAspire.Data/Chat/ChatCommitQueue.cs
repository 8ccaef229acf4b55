using System.Threading.Channels;
using LiveAspire.Postgres;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NpgsqlTypes;

namespace LiveAspire.Data.Chat;

/// <summary>A chat message ready to be stored: every column of <c>chat_messages</c> a send writes.</summary>
/// <param name="Message">The <c>chat.message</c> payload as JSON text (what is published and what history serves).</param>
public sealed record ChatRow(
    Guid Id, Guid ChannelId, Guid SenderId, string ClientMsgId, string Body, string Message, Guid? ReplyToId,
    Guid? BroadcastId, long? OffsetMs, DateTimeOffset SentAt);

/// <summary>What the store holds for a send once its batch committed.</summary>
/// <param name="Id">The message's id: the row's own, or the earlier row's when the sender had already sent this
/// <c>clientMsgId</c> (a retry).</param>
/// <param name="Message">The stored payload (for a retry, the first send's, which is what must be published).</param>
/// <param name="IsNew">False for a retry that found the earlier row.</param>
/// <param name="Seq">The seq the message got in its room when the stored row is marked published; null otherwise.</param>
public sealed record StoredChat(Guid Id, string Message, bool IsNew, long? Seq);

/// <summary>The queue of messages waiting for their group commit is full: the caller refuses with a retry-after.</summary>
public sealed class ChatQueueFullException() : Exception("The chat commit queue is full.");

/// <summary>Settings of the group commit (section <c>Chat</c>).</summary>
public sealed class ChatStoreOptions
{
    /// <summary>Messages waiting for a commit before a send is refused with <c>chat_busy</c> (default 20,000).</summary>
    public int CommitQueueCapacity { get; set; } = 20_000;

    /// <summary>Most rows in one insert (default 1,000).</summary>
    public int MaxBatch { get; set; } = 1_000;

    /// <summary>How long the writer lingers for more messages after the first of a batch arrives (default 2 ms).</summary>
    public int FlushDelayMs { get; set; } = 2;

    /// <summary>The retry-after a refused send is given, ms (default 500).</summary>
    public int BusyRetryAfterMs { get; set; } = 500;
}

/// <summary>
/// Group commit for chat (docs/chat.md, "Storing"): sends wait in a bounded queue, and one writer stores whatever has
/// gathered (up to <see cref="ChatStoreOptions.MaxBatch"/>) with one multi-row insert, so a busy replica makes one
/// round trip for hundreds of messages rather than one each, and each send's task completes only after its batch
/// committed. A full queue refuses at once (<see cref="ChatQueueFullException"/>) rather than grow: the sender gets
/// <c>chat_busy</c> with a retry-after. The insert is idempotent by (sender, <c>clientMsgId</c>): a row that was
/// already there is read back and handed to the send as it was stored, so a retry after a lost answer is the same
/// message. A batch the database refuses as a whole for one bad row (a channel deleted meanwhile) is stored row by
/// row, so only that row's send fails.
/// </summary>
public sealed partial class ChatCommitQueue(NpgsqlDataSource database, IOptions<ChatStoreOptions> options, ILogger<ChatCommitQueue> logger)
    : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.Value.CommitQueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Messages waiting now (for the metric).</summary>
    public int Waiting => _queue.Reader.Count;

    /// <summary>Queues <paramref name="row"/> for the next commit; completes when it committed. Throws
    /// <see cref="ChatQueueFullException"/> at once when the queue is full, and the database's failure when the batch failed.</summary>
    public Task<StoredChat> StoreAsync(ChatRow row)
    {
        var pending = new Pending(row, new TaskCompletionSource<StoredChat>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ChatQueueFullException();
        }
        return pending.Done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.Value.MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                if (options.Value.FlushDelayMs > 0 && reader.Count < options.Value.MaxBatch)
                {
                    await Task.Delay(options.Value.FlushDelayMs, stoppingToken);
                }
                while (batch.Count < options.Value.MaxBatch && reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                await CommitAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Stopping: whatever is still queued was never stored; its senders are told so (they retry elsewhere).
        _queue.Writer.TryComplete();
        while (reader.TryRead(out var left))
        {
            left.Done.TrySetException(new ChatQueueFullException());
        }
    }

    private async Task CommitAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await DatabaseFaults.OnceMoreOnFreshConnectionAsync(database, ct => InsertAsync(batch, ct),
                e => LogRetrying(logger, batch.Count, e.Message), cancellationToken);
            Complete(batch, stored);
        }
        catch (PostgresException e) when (!DatabaseFaults.IsUnavailable(e) && batch.Count > 1)
        {
            // One row broke the statement (a foreign key: its channel was deleted after the send checked it). Store
            // the rows one by one, so only that row's sender hears of it.
            LogRowByRow(logger, batch.Count, e.SqlState);
            foreach (var one in batch)
            {
                await CommitAsync([one], cancellationToken);
            }
            return;
        }
        catch (Exception e)
        {
            LogFailed(logger, batch.Count, e.Message);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(e);
            }
            return;
        }
        Batches++;
    }

    /// <summary>Batches committed since start (the benchmark divides messages by it).</summary>
    public long Batches { get; private set; }

    private async Task<Dictionary<(Guid, string), StoredChat>> InsertAsync(List<Pending> batch, CancellationToken cancellationToken)
    {
        var n = batch.Count;
        var ids = new Guid[n];
        var channels = new Guid[n];
        var senders = new Guid[n];
        var clientIds = new string[n];
        var bodies = new string[n];
        var messages = new string[n];
        var replies = new Guid?[n];
        var broadcasts = new Guid?[n];
        var offsets = new long?[n];
        var sentAt = new DateTime[n];
        for (var i = 0; i < n; i++)
        {
            var row = batch[i].Row;
            (ids[i], channels[i], senders[i], clientIds[i], bodies[i], messages[i]) = (row.Id, row.ChannelId, row.SenderId, row.ClientMsgId, row.Body, row.Message);
            (replies[i], broadcasts[i], offsets[i], sentAt[i]) = (row.ReplyToId, row.BroadcastId, row.OffsetMs, row.SentAt.UtcDateTime);
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = new Dictionary<(Guid, string), StoredChat>(n);
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO chat_messages (id, channel_id, sender_id, client_msg_id, body, message, reply_to_id, broadcast_id, offset_ms, sent_at)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::uuid[], $8::uuid[], $9::bigint[], $10::timestamptz[])
            ON CONFLICT (sender_id, client_msg_id) DO NOTHING
            RETURNING sender_id, client_msg_id, id, message::text
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = ids });
            insert.Parameters.Add(new() { Value = channels });
            insert.Parameters.Add(new() { Value = senders });
            insert.Parameters.Add(new() { Value = clientIds });
            insert.Parameters.Add(new() { Value = bodies });
            insert.Parameters.Add(new() { Value = messages, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            insert.Parameters.Add(new() { Value = replies });
            insert.Parameters.Add(new() { Value = broadcasts });
            insert.Parameters.Add(new() { Value = offsets });
            insert.Parameters.Add(new() { Value = sentAt, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[(reader.GetGuid(0), reader.GetString(1))] = new StoredChat(reader.GetGuid(2), reader.GetString(3), IsNew: true, Seq: null);
            }
        }
        if (stored.Count < n)
        {
            // Retries: the (sender, clientMsgId) was stored before (or twice in this batch); read what is there.
            var missing = batch.Where(p => !stored.ContainsKey((p.Row.SenderId, p.Row.ClientMsgId))).Select(p => p.Row).ToList();
            await using var select = new NpgsqlCommand("""
                SELECT m.sender_id, m.client_msg_id, m.id, m.message::text, m.seq
                  FROM chat_messages m
                  JOIN unnest($1::uuid[], $2::text[]) AS k (sender_id, client_msg_id) USING (sender_id, client_msg_id)
                """, connection, transaction);
            select.Parameters.Add(new() { Value = missing.Select(r => r.SenderId).ToArray() });
            select.Parameters.Add(new() { Value = missing.Select(r => r.ClientMsgId).ToArray() });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.TryAdd((reader.GetGuid(0), reader.GetString(1)),
                    new StoredChat(reader.GetGuid(2), reader.GetString(3), IsNew: false, reader.IsDBNull(4) ? null : reader.GetInt64(4)));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    private static void Complete(List<Pending> batch, Dictionary<(Guid, string), StoredChat> stored)
    {
        foreach (var pending in batch)
        {
            var row = pending.Row;
            if (stored.TryGetValue((row.SenderId, row.ClientMsgId), out var result))
            {
                // Two sends of one clientMsgId in one batch: the row inserted is the first's; the other is its retry.
                pending.Done.TrySetResult(result.IsNew && result.Id != row.Id ? result with { IsNew = false } : result);
            }
            else
            {
                pending.Done.TrySetException(new InvalidOperationException("The message was neither stored nor found."));
            }
        }
    }

    private sealed record Pending(ChatRow Row, TaskCompletionSource<StoredChat> Done);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Chat commit of {Count} messages met an unavailable database ({Error}); trying once more on a fresh connection")]
    private static partial void LogRetrying(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Chat commit of {Count} messages refused ({SqlState}); storing them one by one")]
    private static partial void LogRowByRow(ILogger logger, int count, string sqlState);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "Chat commit of {Count} messages failed: {Error}")]
    private static partial void LogFailed(ILogger logger, int count, string error);
}
