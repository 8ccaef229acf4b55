using LiveAspire.Contracts.Telemetry;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using LiveAspire.Rooms.Redis;

namespace LiveAspire.Rooms;

/// <summary>The outcome of a publish: the envelope's id, the seq it holds in the room, and the room's epoch.</summary>
/// <param name="Seq">The event's seq in <paramref name="Epoch"/>; for a duplicate, the seq the id got when it was first published.</param>
/// <param name="Epoch">The room's current epoch.</param>
/// <param name="Duplicate">True when this id was already in the room's window: nothing new was appended or sent.</param>
public sealed record PublishResult(string Id, string Room, long Seq, string Epoch, bool Duplicate);

/// <summary>
/// Publishes events into rooms: the one call Api, Worker, Realtime and tests use (the HTTP-to-WebSocket bridge).
/// <see cref="RoomPublisher"/> is the Redis store (one atomic script per publish), <see cref="InMemoryRooms"/> the
/// one-process store; both give these guarantees.
/// <list type="bullet">
/// <item><b>Numbering.</b> Each room has its own seq. The first event of an epoch gets 1, each new event the next
/// number: contiguous, never reused under one epoch, also when publishes to one room run at once. A call that returns
/// (not a duplicate) has its event numbered, stored in the hot window and sent once to the room's subscribers, which
/// receive a room's envelopes in seq order.</item>
/// <item><b>Idempotent by envelope id within the hot window.</b> Publishing an id that one of the room's last
/// <see cref="RoomOptions.HotWindow"/> events carries returns that event's id and seq with the current epoch and
/// <see cref="PublishResult.Duplicate"/> true; nothing is stored or sent again. An id that has left the window, or
/// whose room has lost its state, is a new event. A null id gets a new unique one.</item>
/// <item><b>Hot window.</b> A room keeps its last <see cref="RoomOptions.HotWindow"/> events for
/// <see cref="IRoomHistory.ReadAsync"/>; older ones are gone.</item>
/// <item><b>Lost state.</b> When a room's state is gone (Redis restarted without its data, was flushed, or the keys
/// were deleted), the next publish or read starts a new epoch with an empty window: the next event gets seq 1, and a
/// position held under the old epoch cannot resume (<see cref="RoomSnapshot.CanResume"/>).</item>
/// <item><b>Arguments</b> are checked before anything is sent, with <see cref="ArgumentException"/>: a room that is
/// not a canonical <see cref="RoomName"/>, a type that is not dot-named (<c>chat.message</c>), an id that does not
/// have 1 to 64 characters, data whose JSON text has more than <see cref="RoomOptions.MaxDataBytes"/> characters.</item>
/// <item><b>Unavailable.</b> <see cref="RoomStoreUnavailableException"/> (retryable) when Redis cannot be reached:
/// while the connection is down the call fails at once and published nothing; when Redis stopped answering mid-call
/// the event may or may not have been published, so a retry must reuse the id. The in-memory store never throws it.</item>
/// </list>
/// The cancellation token stops a publish that has not been sent yet, not one under way.
/// </summary>
public interface IRoomPublisher
{
    /// <summary>Numbers <paramref name="data"/> as the room's next event, stores it in the hot window and sends it to the room's subscribers; a repeated id is answered, not published again.</summary>
    Task<PublishResult> PublishAsync(string room, string type, JsonElement data, string? id = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an ephemeral event (a counter or a hint: <see cref="Contracts.Realtime.EventClass.Latest"/>) to the room's
    /// current subscribers: not numbered (<c>seq</c> 0, empty epoch), not stored, never replayed, and it leaves the
    /// room's position alone. Room and type are checked as for <see cref="PublishAsync"/>; the whole envelope's JSON
    /// text may have <see cref="RoomOptions.MaxDataBytes"/> characters. Lost while Redis is down (it throws
    /// <see cref="RoomStoreUnavailableException"/>); the next value replaces it anyway. Returns the new id.
    /// </summary>
    Task<string> PublishEphemeralAsync(string room, string type, JsonElement data, CancellationToken cancellationToken = default);
}

public sealed partial class RoomPublisher(IConnectionMultiplexer redis, IOptions<RoomOptions> options) : IRoomPublisher
{
    private readonly SemaphoreSlim _inFlight = new(options.Value.MaxInFlightPublishes);

    public async Task<PublishResult> PublishAsync(string room, string type, JsonElement data, string? id = null,
        CancellationToken cancellationToken = default)
    {
        RoomEvents.CheckRoomAndType(room, type);
        id = RoomEvents.Id(id);
        var json = RoomEvents.Data(data, options.Value.MaxDataBytes);

        using var activity = StartPublish(RoomTelemetry.PublishSpan, room, type);
        RedisResult[] result;
        try
        {
            result = await RoomRedis.EvaluateAsync(redis, _inFlight, RoomScripts.Publish, room,
                [RoomEvents.NewEpoch(), id, type, room, json, options.Value.HotWindow, RoomKeys.Channel(room)], cancellationToken);
        }
        catch (RoomStoreUnavailableException)
        {
            Unavailable(activity);
            throw;
        }
        var published = new PublishResult(id, room, (long)result[1], (string)result[0]!, (int)result[2] == 1);
        activity?.SetTag(TelemetryTags.Seq, published.Seq);
        activity?.SetTag(TelemetryTags.Duplicate, published.Duplicate);
        RoomTelemetry.Count(published.Duplicate ? "duplicate" : "published");
        return published;
    }

    public async Task<string> PublishEphemeralAsync(string room, string type, JsonElement data, CancellationToken cancellationToken = default)
    {
        RoomEvents.CheckRoomAndType(room, type);
        var (id, json) = RoomEvents.Ephemeral(room, type, data, options.Value.MaxDataBytes);
        cancellationToken.ThrowIfCancellationRequested();
        using var activity = StartPublish(RoomTelemetry.PublishEphemeralSpan, room, type);
        try
        {
            await RoomRedis.RunAsync(redis, () => redis.GetSubscriber().PublishAsync(RedisChannel.Literal(RoomKeys.Channel(room)), json));
        }
        catch (RoomStoreUnavailableException)
        {
            Unavailable(activity);
            throw;
        }
        RoomTelemetry.Count("ephemeral");
        return id;
    }

    private static Activity? StartPublish(string span, string room, string type)
    {
        var activity = RoomTelemetry.Source.StartActivity(span, ActivityKind.Producer);
        activity?.SetTag(TelemetryTags.Room, room);
        activity?.SetTag(TelemetryTags.EventType, type);
        return activity;
    }

    private static void Unavailable(Activity? activity)
    {
        activity?.SetStatus(ActivityStatusCode.Error, RoomStoreUnavailableException.Code);
        RoomTelemetry.Count(RoomStoreUnavailableException.Code);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")]
    internal static partial Regex EventType();
}

/// <summary>Runs room commands, turning "Redis is not there" into the one documented retryable error.</summary>
internal static class RoomRedis
{
    private static readonly TimeSpan RequestBound = TimeSpan.FromMilliseconds(RedisClientDefaults.RequestTimeoutMs);

    public static async Task<RedisResult[]> EvaluateAsync(IConnectionMultiplexer redis, SemaphoreSlim? window, string script,
        string room, RedisValue[] values, CancellationToken cancellationToken)
    {
        // The bound covers the wait for a place in the window too: while Redis stalls, the places are held by calls
        // that wait for it, and a call queued behind them must give up as soon as they do.
        var waited = Stopwatch.StartNew();
        if (window is not null && !await window.WaitAsync(RequestBound, cancellationToken))
        {
            throw new RoomStoreUnavailableException("Redis did not answer in time (every publish slot is waiting for it).");
        }
        try
        {
            RedisKey[] keys = [RoomKeys.Meta(room), RoomKeys.Events(room), RoomKeys.Ids(room), RoomKeys.IdOrder(room)];
            return (RedisResult[])(await RunAsync(redis, () => redis.GetDatabase().ScriptEvaluateAsync(script, keys, values),
                RequestBound - waited.Elapsed))!;
        }
        finally
        {
            window?.Release();
        }
    }

    /// <summary>
    /// Within the request path's bound (<see cref="RedisRequests"/>): while the connection is down the call throws at
    /// once (BacklogPolicy.FailFast, nothing is queued in memory); when Redis does not answer (stalled, paused, a
    /// half-open socket) it gives up after <see cref="RedisClientDefaults.RequestTimeoutMs"/>.
    /// </summary>
    public static async Task<T> RunAsync<T>(IConnectionMultiplexer redis, Func<Task<T>> command, TimeSpan? bound = null)
    {
        try
        {
            return await RedisRequests.RunAsync(redis, command, bound);
        }
        catch (TimeoutException e)
        {
            throw new RoomStoreUnavailableException("Redis did not answer in time.", e);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            throw new RoomStoreUnavailableException("Redis did not answer.", e);
        }
    }
}
