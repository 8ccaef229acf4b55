using System.Text.Json;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Data.Chat;
using LiveAspire.Postgres;
using LiveAspire.Rooms;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LiveAspire.Worker.Chat;

/// <summary>Settings of the sweep (section <c>ChatSweep</c>).</summary>
public sealed class ChatSweepOptions
{
    /// <summary>How often the sweep looks (default 2000 ms).</summary>
    public int IntervalMs { get; set; } = 2000;

    /// <summary>How old an unpublished message must be before the sweep publishes it (default 5000 ms): longer than a
    /// send's own publish can take (Redis answers within 1 s or the send gives up), so the sweep does not race it.</summary>
    public int MinAgeMs { get; set; } = 5000;

    /// <summary>Most messages per round (default 500).</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// Publishes chat messages that were stored but never published (docs/chat.md, "Nothing acknowledged is lost"): a
/// send whose publish failed (<c>redis_unavailable</c>) and whose client never retried. Every
/// <see cref="ChatSweepOptions.IntervalMs"/> it locks the unpublished messages older than
/// <see cref="ChatSweepOptions.MinAgeMs"/> (<c>FOR UPDATE SKIP LOCKED</c>, so two Workers split the work), publishes
/// each in order into its stream room under its message id as envelope id (a message that was in fact published
/// already, its mark lost, is answered as a duplicate within the room's hot window: no second event) and marks them in
/// the same transaction. While Redis is down it stops at the first failure and tries again next round.
/// </summary>
public sealed partial class ChatSweep(NpgsqlDataSource database, IRoomPublisher publisher, IOptions<ChatSweepOptions> options, ILogger<ChatSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.IntervalMs));
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    while (await SweepOnceAsync(stoppingToken) == options.Value.BatchSize)
                    {
                    }
                }
                catch (Exception e) when (e is NpgsqlException or RoomStoreUnavailableException or TimeoutException || DatabaseFaults.IsUnavailable(e))
                {
                    LogRoundFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: returns how many messages it published.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = await ChatQueries.LockUnpublishedAsync(transaction, TimeSpan.FromMilliseconds(options.Value.MinAgeMs), options.Value.BatchSize,
            cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }
        var published = new List<(Guid, long)>(rows.Count);
        try
        {
            foreach (var row in rows)
            {
                using var data = JsonDocument.Parse(row.Message);
                var result = await publisher.PublishAsync(RoomName.Stream(row.ChannelId).ToString(), EventTypes.ChatMessage, data.RootElement,
                    row.Id.ToString("D"), cancellationToken);
                published.Add((row.Id, result.Seq));
            }
        }
        finally
        {
            // What was published is marked even when a later one failed, so it is not published again next round.
            if (published.Count > 0)
            {
                await ChatQueries.MarkPublishedAsync(transaction, published, CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
                LogSwept(logger, published.Count);
            }
        }
        return published.Count;
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Chat sweep published {Count} stored messages that had not been published")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Chat sweep round failed ({Error}); trying again next round")]
    private static partial void LogRoundFailed(ILogger logger, string error);
}

public static class ChatSweepExtensions
{
    /// <summary>Registers the chat sweep (needs <c>AddRooms</c> and <c>ConnectionStrings:livedb</c>), section <c>ChatSweep</c>.</summary>
    public static TBuilder AddChatSweep<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ChatSweepOptions>().Bind(builder.Configuration.GetSection("ChatSweep"))
            .Validate(o => o.IntervalMs is >= 50 and <= 600_000, "ChatSweep:IntervalMs must be from 50 to 600000")
            .Validate(o => o.MinAgeMs is >= 1000 and <= 3_600_000, "ChatSweep:MinAgeMs must be from 1000 to 3600000")
            .Validate(o => o.BatchSize is >= 1 and <= 10_000, "ChatSweep:BatchSize must be from 1 to 10000")
            .ValidateOnStart();
        builder.Services.AddHostedService<ChatSweep>();
        return builder;
    }
}
