using System.Collections.Concurrent;
using System.Text.Json;
using LiveAspire.Contracts.Announcements;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Hosting;
using LiveAspire.Rooms;

namespace LiveAspire.Api.Rooms;

/// <summary>What one try of an announcement did: the rooms that have it, and those Redis did not take.</summary>
public sealed record AnnouncementOutcome(IReadOnlyList<AnnouncedRoom> Announced, IReadOnlyList<string> Failed);

/// <summary>
/// Publishes an announcement into many rooms, each exactly once across retries: every room gets the envelope id
/// <see cref="AnnouncementRules.EnvelopeId"/> derives from the client's key, and the room answers a repeated id with
/// the seq it gave the first time. A room Redis does not take is reported, not retried here: the client sends the same
/// request again, and the rooms that already have it answer as duplicates.
/// </summary>
public sealed partial class Announcer(IRoomPublisher publisher, FaultHooks faults, ILogger<Announcer> logger)
{
    /// <summary>Publishes to this many rooms at once: enough to announce into thousands of rooms in seconds, few
    /// enough to leave the publisher's in-flight window (<c>Rooms:MaxInFlightPublishes</c>) to other requests.</summary>
    private const int Parallelism = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<AnnouncementOutcome> AnnounceAsync(string announcementId, string text, IReadOnlyList<string> rooms, CancellationToken cancellationToken)
    {
        var data = JsonSerializer.SerializeToElement(new SystemAnnouncement(text), Json);
        var announced = new ConcurrentBag<AnnouncedRoom>();
        var failed = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(rooms, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (room, token) =>
            {
                // Tests hold one room here to make Redis fail for the rooms after it (docs/realtime.md, "Fault hooks").
                await faults.HitAsync("announcement-before-publish", room, token);
                try
                {
                    var published = await publisher.PublishAsync(room, EventTypes.SystemAnnouncement, data, AnnouncementRules.EnvelopeId(announcementId, room), token);
                    announced.Add(new AnnouncedRoom(room, published.Id, published.Seq, published.Epoch, published.Duplicate));
                }
                catch (RoomStoreUnavailableException)
                {
                    failed.Add(room);
                }
            });
        var outcome = new AnnouncementOutcome(
            [.. announced.OrderBy(r => r.Room, StringComparer.Ordinal)], [.. failed.Order(StringComparer.Ordinal)]);
        if (outcome.Failed.Count > 0)
        {
            LogIncomplete(logger, announcementId, outcome.Announced.Count, rooms.Count, outcome.Failed.Count);
        }
        else
        {
            LogAnnounced(logger, announcementId, rooms.Count, outcome.Announced.Count(r => r.Duplicate));
        }
        return outcome;
    }

    [LoggerMessage(EventId = 2901, Level = LogLevel.Information, Message = "Announcement {AnnouncementId} is in all {Rooms} rooms ({Duplicates} already had it)")]
    private static partial void LogAnnounced(ILogger logger, string announcementId, int rooms, int duplicates);

    [LoggerMessage(EventId = 2902, Level = LogLevel.Warning, Message = "Announcement {AnnouncementId} is in {Announced} of {Rooms} rooms; Redis did not take {Failed}: the client retries")]
    private static partial void LogIncomplete(ILogger logger, string announcementId, int announced, int rooms, int failed);
}
