using LiveAspire.Contracts.Telemetry;
using System.Text.Json;
using LiveAspire.Hosting;
using LiveAspire.Data.Outbox;
using LiveAspire.Rooms;
using LiveAspire.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LiveAspire.Worker.Outbox;

/// <summary>
/// Publishes outbox rows into their rooms, at least once and in id order per partition (docs/outbox.md).
/// One database session per Worker: it tries every partition's advisory lock, LISTENs for inserts, and does all of
/// its reads and marks, so whoever holds a partition's lock is the only relayer of that partition; a standby keeps
/// trying the locks and takes over when the holder's session ends (a crashed process's socket closes, the server
/// frees its locks). Rows are published one at a time with their stored envelope id, so relaying a row again
/// (crash after publishing, before marking) gives it back its first seq instead of a new one.
/// </summary>
public sealed partial class OutboxRelay(
    OutboxRelayDataSource dataSource,
    IRoomPublisher publisher,
    FaultHooks faults,
    OutboxMetrics metrics,
    IOptions<OutboxOptions> outboxOptions,
    IOptions<OutboxRelayOptions> relayOptions,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly OutboxRelayOptions _options = relayOptions.Value;
    private readonly int _partitions = outboxOptions.Value.Partitions;
    private int _notified;
    private int _reconnectDelay;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _reconnectDelay = _options.RetryDelayMs;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
            {
                LogSessionLost(logger, e.Message, _reconnectDelay);
            }
            finally
            {
                metrics.Sample(new Dictionary<int, (long, double)>());
            }
            var delay = _reconnectDelay;
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _reconnectDelay = Math.Min(delay * 2, _options.MaxRetryDelayMs);
        }
    }

    private async Task RunSessionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.Value.OpenConnectionAsync(cancellationToken);
        connection.Notification += (_, _) => Volatile.Write(ref _notified, 1);
        await OutboxRelayQueries.ExecuteAsync(connection, "LISTEN outbox", cancellationToken);
        _reconnectDelay = _options.RetryDelayMs; // connected: the next loss starts the backoff afresh
        var held = new SortedSet<int>();
        var nextLockAttempt = DateTime.MinValue;
        var nextSample = DateTime.MinValue;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (held.Count < _partitions && DateTime.UtcNow >= nextLockAttempt)
            {
                var now = await OutboxRelayQueries.TryLockAsync(connection, _partitions, cancellationToken);
                if (now.Count != held.Count)
                {
                    LogHolding(logger, now.Count, _partitions, string.Join(",", now));
                    nextSample = DateTime.MinValue;
                }
                held = now;
                nextLockAttempt = DateTime.UtcNow.AddMilliseconds(_options.LockRetryIntervalMs);
            }
            if (DateTime.UtcNow >= nextSample)
            {
                metrics.Sample(await OutboxRelayQueries.MeasureAsync(connection, held, cancellationToken));
                nextSample = DateTime.UtcNow.AddMilliseconds(_options.MetricsIntervalMs);
            }

            // Cleared before reading: an insert committed while we relay sets it again and we go round once more.
            Volatile.Write(ref _notified, 0);
            var more = false;
            foreach (var partition in held)
            {
                more |= await RelayBatchAsync(connection, partition, cancellationToken);
            }
            if (more || Volatile.Read(ref _notified) == 1)
            {
                continue;
            }
            var wait = _options.PollIntervalMs;
            if (held.Count < _partitions)
            {
                wait = Math.Min(wait, Math.Max(1, (int)(nextLockAttempt - DateTime.UtcNow).TotalMilliseconds));
            }
            await connection.WaitAsync(wait, cancellationToken);
        }
    }

    /// <summary>Relays one batch; returns true when the batch was full (more rows are probably waiting).</summary>
    private async Task<bool> RelayBatchAsync(NpgsqlConnection connection, int partition, CancellationToken cancellationToken)
    {
        var rows = await OutboxRelayQueries.ReadBatchAsync(connection, partition, _options.BatchSize, cancellationToken);
        if (rows.Count == 0)
        {
            return false;
        }
        // Started once there are rows: an idle poll is not work worth a span. The publishes are its children.
        using var activity = WorkerTelemetry.Source.StartActivity(WorkerTelemetry.RelaySpan);
        activity?.SetTag(TelemetryTags.Partition, partition);
        activity?.SetTag(TelemetryTags.Rows, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            await PublishAsync(rows[i], cancellationToken);
            metrics.Published(partition);
            if (i == 0 && rows.Count > 1)
            {
                await faults.HitAsync(FaultHookNames.OutboxMidBatch, rows[i].Room, cancellationToken);
            }
        }
        // The window tests aim at: every row is out, none is marked. A crash here relays the batch again.
        await faults.HitAsync(FaultHookNames.OutboxAfterCommit, string.Join(' ', rows.Select(r => r.Room).Distinct()), cancellationToken);
        await OutboxRelayQueries.MarkPublishedAsync(connection, rows, cancellationToken);
        return rows.Count == _options.BatchSize;
    }

    /// <summary>Publishes one row, retrying with backoff until it is out: a row is never skipped, because skipping it
    /// would lose the event or let the room's later events overtake it.</summary>
    private async Task PublishAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        var delay = _options.RetryDelayMs;
        while (true)
        {
            try
            {
                using var data = JsonDocument.Parse(row.Data);
                await publisher.PublishAsync(row.Room, row.Type, data.RootElement, row.EventId, cancellationToken);
                return;
            }
            catch (RoomStoreUnavailableException e)
            {
                LogRedisUnavailable(logger, row.Id, e.Message, delay);
            }
            catch (Exception e) when (e is not OperationCanceledException and not NpgsqlException)
            {
                // A row the publisher refuses (written around the writer's checks) holds its partition until an
                // operator fixes it; the lag gauge shows it.
                LogPublishFailed(logger, e, row.Id, row.Room, delay);
            }
            await Task.Delay(delay, cancellationToken);
            delay = Math.Min(delay * 2, _options.MaxRetryDelayMs);
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Outbox relay holds {Held} of {Partitions} partitions ({PartitionList})")]
    private static partial void LogHolding(ILogger logger, int held, int partitions, string partitionList);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "Outbox relay lost its database session ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogSessionLost(ILogger logger, string reason, int delayMs);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Outbox row {RowId} not published, Redis unavailable ({Reason}); retrying in {DelayMs} ms")]
    private static partial void LogRedisUnavailable(ILogger logger, long rowId, string reason, int delayMs);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Error, Message = "Outbox row {RowId} for {Room} could not be published; retrying in {DelayMs} ms")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, long rowId, string room, int delayMs);
}
