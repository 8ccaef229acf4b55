using System.Text.Json;

namespace LiveAspire.Realtime.Delivery;

/// <summary>
/// Takes each event this replica receives from Redis, parses it once, and hands it to the room's local members.
/// One reader, so events of a room are handed out in the order Redis delivered them.
/// </summary>
public sealed partial class RoomDispatcher(LocalRooms rooms, RoomSync sync, ILogger<RoomDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = rooms.Incoming;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (reader.TryRead(out var item))
                {
                    Dispatch(item.Room, item.Json);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Dispatch(string room, string json)
    {
        Contracts.Realtime.EventEnvelope envelope;
        try
        {
            envelope = EnvelopeJson.Parse(json);
        }
        catch (JsonException e)
        {
            LogBadEnvelope(logger, room, e.Message);
            return;
        }
        foreach (var member in rooms.MembersOf(room))
        {
            if (member.OnPublished(envelope))
            {
                sync.StartCatchUp(member);
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Error, Message = "Unreadable envelope on room {Room}: {Error}")]
    private static partial void LogBadEnvelope(ILogger logger, string room, string error);
}
