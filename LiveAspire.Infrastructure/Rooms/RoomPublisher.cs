using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveAspire.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace LiveAspire.Infrastructure.Rooms;

/// <summary>The outcome of a publish: the envelope's id, the seq it holds in the room, and the room's epoch.</summary>
/// <param name="Duplicate">True when this id was already in the room's window: nothing new was appended or sent.</param>
public sealed record PublishResult(string Id, string Room, long Seq, string Epoch, bool Duplicate);

/// <summary>
/// Publishes events into rooms: one atomic script assigns the seq, appends to the hot window and publishes to the
/// replicas. The one call Api, Worker, Realtime and tests use (the HTTP-to-WebSocket bridge).
/// Guarantee: a call that returns has its event numbered and stored in the window; a call that throws
/// <see cref="RoomStoreUnavailableException"/> published nothing (while Redis is down it fails fast).
/// Idempotent by envelope id within the hot window.
/// </summary>
public interface IRoomPublisher
{
    Task<PublishResult> PublishAsync(string room, string type, JsonElement data, string? id = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an ephemeral event (a counter or a hint: <see cref="Contracts.Realtime.EventClass.Latest"/>) to the room's
    /// current members: not numbered (<c>seq</c> 0, empty epoch), not stored, never replayed. Lost while Redis is down
    /// (it throws <see cref="RoomStoreUnavailableException"/>); the next value replaces it anyway. Returns the id.
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
            await RoomRedis.RunAsync(() => redis.GetSubscriber().PublishAsync(RedisChannel.Literal(RoomKeys.Channel(room)), json));
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
    public static async Task<RedisResult[]> EvaluateAsync(IConnectionMultiplexer redis, SemaphoreSlim? window, string script,
        string room, RedisValue[] values, CancellationToken cancellationToken)
    {
        if (window is not null)
        {
            await window.WaitAsync(cancellationToken);
        }
        try
        {
            RedisKey[] keys = [RoomKeys.Meta(room), RoomKeys.Events(room), RoomKeys.Ids(room), RoomKeys.IdOrder(room)];
            return (RedisResult[])(await RunAsync(() => redis.GetDatabase().ScriptEvaluateAsync(script, keys, values)))!;
        }
        finally
        {
            window?.Release();
        }
    }

    /// <summary>
    /// No timeout wrapper of our own: the client's pinned settings (RedisClientDefaults) are the bound. While the
    /// connection is down the call throws at once (BacklogPolicy.FailFast, nothing is queued in memory); when Redis
    /// does not answer it throws after AsyncTimeout.
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> command)
    {
        try
        {
            return await command();
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
        {
            throw new RoomStoreUnavailableException("Redis did not answer.", e);
        }
    }
}
