using LiveAspire.Api.Data;
using LiveAspire.Data.Outbox;
using LiveAspire.Rooms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>What the outbox tests do to a running system: write rows as a business transaction would, look at the
/// relay's locks in PostgreSQL, and find the Worker replicas.</summary>
internal sealed class OutboxTestSystem(AppHostFixture system)
{
    /// <summary>The Workers' default partition count (<c>Outbox:Partitions</c> is not set by the AppHost).</summary>
    public const int Partitions = 8;

    /// <summary>The relay's first advisory-lock key ("OBX1"); the second is the partition.</summary>
    public const int LockClass = 0x4F42_5831;

    private readonly OutboxWriter _writer = new(Options.Create(new OutboxOptions { Partitions = Partitions }), Options.Create(new RoomOptions()));

    public string ConnectionString => system.ConnectionString("livedb");

    /// <summary>Adds the rows with the writer and commits them in one SaveChanges (one transaction).</summary>
    public async Task WriteAsync(params (string Room, int N, string Id)[] rows)
    {
        await using var context = new LiveDbContext(new DbContextOptionsBuilder<LiveDbContext>().UseNpgsql(ConnectionString).Options);
        foreach (var (room, n, id) in rows)
        {
            _writer.Add(context, room, "test.outbox", new { N = n }, id);
        }
        await context.SaveChangesAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public static (string Room, int N, string Id)[] Rows(string room, int count, int startAt = 1) =>
        [.. Enumerable.Range(startAt, count).Select(n => (room, n, $"{Guid.NewGuid():N}"))];

    /// <summary>(published, attempts) of each row with the given event ids.</summary>
    public async Task<List<(bool Published, int Attempts)>> RowStateAsync(IEnumerable<string> eventIds)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT published_at IS NOT NULL, attempts FROM outbox WHERE event_id = ANY($1) ORDER BY id", connection);
        command.Parameters.Add(new() { Value = eventIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        var result = new List<(bool, int)>();
        while (await reader.ReadAsync())
        {
            result.Add((reader.GetBoolean(0), reader.GetInt32(1)));
        }
        return result;
    }

    /// <summary>Granted relay locks: (partition, holder's application name = replica id, backend pid).</summary>
    public async Task<List<(int Partition, string Holder, int Pid)>> LocksAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT l.objid::int8, a.application_name, l.pid
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 AND l.classid::int8 = $1
            """, connection);
        command.Parameters.Add(new() { Value = (long)LockClass });
        await using var reader = await command.ExecuteReaderAsync();
        var locks = new List<(int, string, int)>();
        while (await reader.ReadAsync())
        {
            locks.Add(((int)reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        }
        return locks;
    }

    /// <summary>Application names of the Workers' relay sessions now connected.</summary>
    public async Task<List<string>> RelaySessionsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT application_name FROM pg_stat_activity WHERE application_name LIKE 'worker-%' ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    /// <summary>The Worker replicas; a part's <see cref="SystemPart.Id"/> is its relay session's application name.</summary>
    public IReadOnlyList<SystemPart> Workers => system.Parts("worker");

    /// <summary>Both Workers healthy, connected, and every partition held by one of them.</summary>
    public async Task WaitForFullRelayAsync()
    {
        await Eventually.UntilAsync(async () => (await Task.WhenAll(Workers.Select(w => w.IsHealthyAsync()))).All(h => h), "both workers healthy",
            TimeSpan.FromSeconds(120));
        await Eventually.UntilAsync(async () =>
        {
            var sessions = await RelaySessionsAsync();
            var locks = await LocksAsync();
            return Workers.All(w => sessions.Contains(w.Id)) && locks.Select(l => l.Partition).Distinct().Count() == Partitions;
        }, "both relay sessions connected and every partition locked", TimeSpan.FromSeconds(60));
    }

    /// <summary>Rooms whose partitions cover at least <paramref name="partitions"/> distinct partitions.</summary>
    public static List<string> RoomsInPartitions(int rooms, int partitions)
    {
        while (true)
        {
            var candidates = Enumerable.Range(0, rooms).Select(_ => TestRooms.NewStreamRoom()).ToList();
            if (candidates.Select(r => OutboxPartitioner.Partition(r, Partitions)).Distinct().Count() >= partitions)
            {
                return candidates;
            }
        }
    }

    /// <summary>Polls for a file at a short interval: a crash hook's window is short, and the test must disarm the
    /// hook before the standby relay reaches it again.</summary>
    public static async Task WaitForFileAsync(string path, string containing, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (File.Exists(path) && (await File.ReadAllTextAsync(path)).Contains(containing, StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (IOException)
            {
                // being written
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"{path} did not appear with '{containing}' within {timeout.TotalSeconds:0} s");
    }
}
