using LiveAspire.Contracts.Telemetry;
using System.Diagnostics;
using LiveAspire.Realtime.Telemetry;
using LiveAspire.Rooms;
using LiveAspire.Hosting;
using LiveAspire.ServiceDefaults.Telemetry;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// Joins a connection to a room at a position and keeps it gap-free: subscribe first, then replay from the hot
/// window, then go live dropping the overlap (docs/architecture.md section 3). The same catch-up runs when a live member
/// sees a seq jump (a pub/sub message lost while Redis reconnected). A join answers for its membership until it
/// returns: what would close a member with a <c>room.gap</c> is settled in the answer instead (see
/// <see cref="RoomMembership"/>).
/// </summary>
public sealed partial class RoomSync(LocalRooms rooms, IRoomHistory history, FaultHooks faults, ILogger<RoomSync> logger)
{
    public async Task<ResumeResult> JoinAsync(LiveConnection connection, string room, RoomPosition? position, CancellationToken cancellationToken)
    {
        // A child of SignalR's span for the hub call (Resume or JoinStream): one per room asked for.
        using var activity = RealtimeTelemetry.Source.StartActivity(RealtimeTelemetry.ResumeSpan);
        activity?.SetTag(TelemetryTags.Room, room);
        ResumeResult result;
        try
        {
            result = await JoinCoreAsync(connection, room, position, cancellationToken);
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        if (activity is not null)
        {
            activity.SetTag(TelemetryTags.Recovered, result.Recovered);
            if (result.Error is { } error)
            {
                activity.SetStatus(ActivityStatusCode.Error, error);
            }
        }
        return result;
    }

    private async Task<ResumeResult> JoinCoreAsync(LiveConnection connection, string room, RoomPosition? position, CancellationToken cancellationToken)
    {
        var membership = new RoomMembership(connection, room);
        if (connection.Rooms.TryRemove(room, out var previous))
        {
            rooms.Remove(previous); // a rejoin replaces the old position (closed: it enqueues nothing more)
        }
        // The client resumes from its own position: droppable events of this room are accepted again.
        connection.SendQueue.Unshed(room);
        connection.Rooms[room] = membership;
        try
        {
            // Subscribed before reading: every event published after this point is buffered by the membership,
            // everything before it is in the read below. The overlap is dropped by seq.
            await rooms.AddAsync(membership);
            await faults.HitAsync(FaultHookNames.ResumeAfterSubscribe, room, cancellationToken);
            var snapshot = await history.ReadAsync(room, position?.Seq, cancellationToken);
            bool recovered;
            if (position is null)
            {
                recovered = true; // live only: nothing was asked for, nothing is missing
                membership.SetPosition(snapshot.Epoch, snapshot.Seq);
            }
            else if (snapshot.CanResume(position.Epoch, position.Seq))
            {
                recovered = true;
                membership.SetPosition(position.Epoch, position.Seq);
                membership.Replay(snapshot.Envelopes.Select(EnvelopeJson.Parse));
            }
            else
            {
                recovered = false; // other epoch, or older than the hot window: the client resets the room
                membership.SetPosition(snapshot.Epoch, snapshot.Seq);
            }
            var result = new ResumeResult(recovered, snapshot.Epoch, membership.LastSeq);

            await faults.HitAsync(FaultHookNames.ResumeBetweenReplayAndLive, room, cancellationToken);
            result = await GoLiveAndEndJoinAsync(membership, result, cancellationToken);
            var hold = faults.HitAsync(FaultHookNames.SendQueueHold, $"{room} user:{connection.UserId}", connection.HubConnection.ConnectionAborted);
            if (!hold.IsCompleted)
            {
                connection.SendQueue.HoldUntil(hold.AsTask());
            }
            return result;
        }
        catch (RoomStoreUnavailableException)
        {
            Leave(connection, room, membership);
            return new ResumeResult(false, null, 0, HubErrorCodes.RedisUnavailable);
        }
        catch
        {
            Leave(connection, room, membership);
            throw;
        }
    }

    public void Leave(LiveConnection connection, string room)
    {
        if (connection.Rooms.TryRemove(room, out var membership))
        {
            rooms.Remove(membership);
        }
    }

    private void Leave(LiveConnection connection, string room, RoomMembership membership)
    {
        connection.Rooms.TryRemove(KeyValuePair.Create(room, membership));
        rooms.Remove(membership);
    }

    /// <summary>Catches up a member that stopped being live (a gap, or Redis came back); runs in the background.
    /// Counted, not traced: it is per member, and spans are never per recipient.</summary>
    public void StartCatchUp(RoomMembership membership)
    {
        RealtimeTelemetry.CatchUps.Add(1);
        _ = CatchUpAsync(membership);
    }

    /// <summary>After Redis reconnects: every live member checks for events it missed while pub/sub was down.</summary>
    public void ResyncAll()
    {
        using var activity = RealtimeTelemetry.Source.StartActivity(RealtimeTelemetry.ResyncSpan);
        var members = 0;
        foreach (var membership in rooms.AllMembers())
        {
            if (membership.PauseForCatchUp())
            {
                StartCatchUp(membership);
            }
            members++;
        }
        activity?.SetTag(TelemetryTags.Members, members);
        LogResync(logger, members);
    }

    private async Task CatchUpAsync(RoomMembership membership)
    {
        try
        {
            if (await GoLiveAsync(membership, CancellationToken.None, readFirst: true) is { } lost)
            {
                // The window no longer holds what the member needs (lost, or trimmed past it): the client reloads.
                membership.CloseWithGap(lost.Epoch == membership.Epoch ? lost.FirstSeq - 1 : lost.Seq);
                Leave(membership.Connection, membership.Room, membership);
            }
        }
        catch (Exception e)
        {
            // Cannot catch up now (Redis unavailable): the client resumes the room itself when it can.
            LogCatchUpFailed(logger, membership.Room, e.Message);
            membership.CloseWithGap(membership.LastSeq + 1);
            Leave(membership.Connection, membership.Room, membership);
        }
    }

    /// <summary>
    /// Takes a joining membership live and ends its join. A catch-up asked for while the join ran (Redis came back, a
    /// seq jump) is run here, before the answer. When the window no longer continues the position (the room's history
    /// was lost or trimmed past it meanwhile) the membership starts at the room's head and the answer becomes
    /// <c>recovered:false</c> with that head, as a fresh join would answer.
    /// </summary>
    private async Task<ResumeResult> GoLiveAndEndJoinAsync(RoomMembership membership, ResumeResult result, CancellationToken cancellationToken)
    {
        var readFirst = false;
        while (true)
        {
            if (await GoLiveAsync(membership, cancellationToken, readFirst) is { } lost)
            {
                membership.RestartAt(lost.Epoch, lost.Seq);
                result = new ResumeResult(false, lost.Epoch, lost.Seq);
                readFirst = false;
            }
            else if (membership.TryEndJoin())
            {
                return result;
            }
            else
            {
                readFirst = true; // the owed catch-up
            }
        }
    }

    /// <summary>Applies the buffer and goes live, reading from the hot window what the buffer lacks (or first, for a
    /// catch-up). Returns the snapshot when the window cannot continue the membership's position; null when it went
    /// live, or was closed meanwhile (left).</summary>
    private async Task<RoomSnapshot?> GoLiveAsync(RoomMembership membership, CancellationToken cancellationToken, bool readFirst = false)
    {
        while (readFirst || !membership.TryGoLive())
        {
            readFirst = false;
            if (membership.IsClosed)
            {
                return null;
            }
            var snapshot = await history.ReadAsync(membership.Room, membership.LastSeq, cancellationToken);
            if (!snapshot.CanResume(membership.Epoch!, membership.LastSeq))
            {
                return snapshot;
            }
            membership.Replay(snapshot.Envelopes.Select(EnvelopeJson.Parse));
        }
        return null;
    }

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Redis came back: catching up {Members} room members (a join under way catches up before it answers)")]
    private static partial void LogResync(ILogger logger, int members);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Catch-up of room {Room} failed: {Error}; the client will resume")]
    private static partial void LogCatchUpFailed(ILogger logger, string room, string error);
}
