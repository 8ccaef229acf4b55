using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveAspire.Data.Chat;

/// <summary>
/// Marks published chat messages, with their seq, in batches (one <c>UPDATE ... WHERE id = ANY(...)</c> per flush, every
/// <see cref="FlushInterval"/> or sooner when many wait), so publishing costs no round trip per message. A mark that
/// is lost (the process stopped first, the database was down, the queue was full) only means the Worker's sweep
/// publishes the message again under the same envelope id, which the room's hot window answers as a duplicate: no
/// second event.
/// </summary>
public sealed partial class ChatPublishedMarks(NpgsqlDataSource database, ILogger<ChatPublishedMarks> logger) : BackgroundService
{
    /// <summary>Longest a mark waits for its batch.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private const int MaxBatch = 5_000;

    private readonly Channel<(Guid, long)> _queue = Channel.CreateBounded<(Guid, long)>(new BoundedChannelOptions(100_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Queues the mark; never waits (a full queue drops it: the sweep covers a lost mark).</summary>
    public void Published(Guid messageId, long seq) => _queue.Writer.TryWrite((messageId, seq));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(Guid, long)>(MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                if (reader.Count < MaxBatch)
                {
                    await Task.Delay(FlushInterval, stoppingToken);
                }
                while (batch.Count < MaxBatch && reader.TryRead(out var id))
                {
                    batch.Add(id);
                }
                await FlushAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Stopping: one last flush of what is queued, bounded; the sweep covers anything not marked.
        while (reader.TryRead(out var id) && batch.Count < MaxBatch)
        {
            batch.Add(id);
        }
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await FlushAsync(batch, last.Token);
    }

    private async Task FlushAsync(List<(Guid, long)> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await ChatQueries.MarkPublishedAsync(database, batch, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            LogLost(logger, batch.Count, e.Message);
        }
    }

    [LoggerMessage(EventId = 6111, Level = LogLevel.Warning, Message = "Could not mark {Count} chat messages published ({Error}); the sweep publishes them again under the same ids")]
    private static partial void LogLost(ILogger logger, int count, string error);
}
