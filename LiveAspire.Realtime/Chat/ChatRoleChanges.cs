using LiveAspire.Access;
using LiveAspire.Contracts.Channels;
using LiveAspire.Rooms.Redis;
using StackExchange.Redis;

namespace LiveAspire.Realtime.Chat;

/// <summary>
/// Api's notices of a changed channel role (<c>liveaspire:channel-roles</c>, the same notices that re-check open
/// connections' rooms): the user's roles in that channel are forgotten by <see cref="ChatDirectory"/>, so their next
/// chat message is sent with the badges they have now (an appointed moderator's shows the moderator badge). A lost
/// notice leaves the old badges for at most <see cref="ChatDirectory.RolesTtl"/>.
/// </summary>
public sealed partial class ChatRoleChanges(IConnectionMultiplexer redis, ChatDirectory directory, ILogger<ChatRoleChanges> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var change in RedisMessages.ReadJsonAsync<ChannelRoleChanged>(redis, AccessKeys.ChannelRolesChannel,
            error => LogUnreadable(logger, error), stoppingToken))
        {
            directory.ForgetRoles(change.ChannelId, change.UserId);
        }
    }

    [LoggerMessage(EventId = 3802, Level = LogLevel.Warning, Message = "A channel role notice could not be read: {Error}")]
    private static partial void LogUnreadable(ILogger logger, string error);
}
