using LiveAspire.Contracts.Telemetry;
using System.Diagnostics;
using System.Text.Json;
using LiveAspire.Realtime.Telemetry;
using LiveAspire.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// Takes each event this replica receives from Redis, parses it once, and hands it to the room's local members.
/// One reader, so events of a room are handed out in the order Redis delivered them.
/// <para>
/// Coalescing: everything waiting is read before anything is handed out, and a room's events go out together as
/// one shared frame serialized once (<see cref="RoomRun"/>, <see cref="EventFrame"/>); a room with at least
/// <see cref="DeliveryOptions.CoalesceMinMembers"/> local members also collects its events over a window that grows
/// with its size (<see cref="WindowFor"/>), so a busy big room costs one write per member per window instead of one
/// per event. Of the ephemeral counters collected for a room only the latest per type is sent.
/// </para>
/// </summary>
public sealed partial class RoomDispatcher(
    LocalRooms rooms,
    RoomSync sync,
    IHubProtocol protocol,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<RoomDispatcher> logger) : BackgroundService
{
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = rooms.Incoming;
        var maxRead = Math.Max(1, options.Value.MaxDispatchBatch);
        Task<bool>? waitingToRead = null;
        try
        {
            while (true)
            {
                // One wait on the channel at a time: a second WaitToReadAsync while the first is pending would cancel
                // the first (single-reader channel), so the one started for a coalescing window is reused.
                if (_pending.Count == 0)
                {
                    var more = waitingToRead is not null ? await waitingToRead : await reader.WaitToReadAsync(stoppingToken);
                    waitingToRead = null;
                    if (!more)
                    {
                        return;
                    }
                }
                else
                {
                    var due = NextDue() - time.GetTimestamp();
                    if (due > 0)
                    {
                        waitingToRead ??= reader.WaitToReadAsync(stoppingToken).AsTask();
                        var delay = Task.Delay(TimeSpan.FromSeconds((double)due / time.TimestampFrequency), time, stoppingToken);
                        if (await Task.WhenAny(waitingToRead, delay) == waitingToRead)
                        {
                            if (!await waitingToRead)
                            {
                                return;
                            }
                            waitingToRead = null;
                        }
                    }
                }
                for (var read = 0; read < maxRead && reader.TryRead(out var item); read++)
                {
                    Collect(item.Room, item.Json);
                }
                FlushDue(time.GetTimestamp());
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Collect(string room, string json)
    {
        EventEnvelope envelope;
        try
        {
            envelope = EnvelopeJson.Parse(json);
        }
        catch (JsonException e)
        {
            LogBadEnvelope(logger, room, e.Message);
            return;
        }
        if (!_pending.TryGetValue(room, out var pending))
        {
            var wait = WindowFor(rooms.MemberCount(room), options.Value);
            pending = new Pending(time.GetTimestamp() + (long)(wait.TotalSeconds * time.TimestampFrequency));
            _pending[room] = pending;
        }
        pending.Envelopes.Add(envelope);
    }

    /// <summary>How long a room with <paramref name="members"/> local members collects its events: nothing below
    /// <see cref="DeliveryOptions.CoalesceMinMembers"/>, else <see cref="DeliveryOptions.CoalesceMilliseconds"/> or, for a
    /// bigger room, its size times <see cref="DeliveryOptions.CoalesceMicrosecondsPerMember"/>, at most
    /// <see cref="DeliveryOptions.MaxCoalesceMilliseconds"/>.</summary>
    public static TimeSpan WindowFor(int members, DeliveryOptions o)
    {
        var baseWindow = TimeSpan.FromMilliseconds(o.CoalesceMilliseconds);
        if (baseWindow <= TimeSpan.Zero || members < o.CoalesceMinMembers)
        {
            return TimeSpan.Zero;
        }
        var bySize = TimeSpan.FromMicroseconds((double)members * o.CoalesceMicrosecondsPerMember);
        var max = TimeSpan.FromMilliseconds(Math.Max(o.MaxCoalesceMilliseconds, o.CoalesceMilliseconds));
        return bySize < baseWindow ? baseWindow : bySize > max ? max : bySize;
    }

    private long NextDue()
    {
        var next = long.MaxValue;
        foreach (var pending in _pending.Values)
        {
            next = Math.Min(next, pending.Due);
        }
        return next;
    }

    private void FlushDue(long now)
    {
        List<string>? done = null;
        foreach (var (room, pending) in _pending)
        {
            if (pending.Due <= now)
            {
                // One span per room and window, never per member: its cost does not grow with the room.
                using var activity = RealtimeTelemetry.Source.StartActivity(RealtimeTelemetry.DispatchSpan, ActivityKind.Consumer);
                activity?.SetTag(TelemetryTags.Room, room);
                activity?.SetTag(TelemetryTags.Events, pending.Envelopes.Count);
                try
                {
                    Dispatch(room, pending.Envelopes, activity);
                }
                catch (Exception e)
                {
                    // A bug in one room's hand-out must not stop delivery for every room of this replica.
                    activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                    LogDispatchFailed(logger, room, e);
                }
                (done ??= []).Add(room);
            }
        }
        foreach (var room in done ?? [])
        {
            _pending.Remove(room);
        }
    }

    private void Dispatch(string room, List<EventEnvelope> envelopes, Activity? activity)
    {
        var members = rooms.MembersOf(room);
        activity?.SetTag(TelemetryTags.Members, members.Length);
        if (members.Length == 0)
        {
            return;
        }
        // Ephemeral counters and hints: only the latest of each type, one shared frame each, whatever the position.
        HashSet<string>? latestTypes = null;
        for (var i = envelopes.Count - 1; i >= 0; i--)
        {
            var envelope = envelopes[i];
            if (envelope.Seq != LiveHubContract.EphemeralSeq)
            {
                continue;
            }
            if ((latestTypes ??= new HashSet<string>(StringComparer.Ordinal)).Add(envelope.Type))
            {
                var frame = EventFrame.Create(protocol, [envelope]);
                foreach (var member in members)
                {
                    member.OnEphemeral(frame);
                }
            }
        }
        // Numbered events: runs without a hole, each serialized once for every member that is at its start.
        var numbered = latestTypes is null ? envelopes : envelopes.FindAll(e => e.Seq != LiveHubContract.EphemeralSeq);
        var start = 0;
        for (var i = 1; i <= numbered.Count; i++)
        {
            if (i < numbered.Count && RoomRun.Continues(numbered, i))
            {
                continue;
            }
            var run = new RoomRun(protocol, numbered.GetRange(start, i - start));
            foreach (var member in members)
            {
                if (member.OnPublished(run))
                {
                    sync.StartCatchUp(member);
                }
            }
            start = i;
        }
    }

    private sealed class Pending(long due)
    {
        public long Due { get; } = due;
        public List<EventEnvelope> Envelopes { get; } = [];
    }

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "Handing out events of room {Room} failed")]
    private static partial void LogDispatchFailed(ILogger logger, string room, Exception exception);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Unreadable envelope on room {Room}: {Error}")]
    private static partial void LogBadEnvelope(ILogger logger, string room, string error);
}
