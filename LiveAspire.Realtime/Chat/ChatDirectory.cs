using LiveAspire.Access;
using LiveAspire.Data.Access;
using LiveAspire.Data.Chat;
using Npgsql;
using Microsoft.Extensions.Caching.Memory;

namespace LiveAspire.Realtime.Chat;

/// <summary>
/// What a send looks up besides the message, cached in this replica's memory so that a busy chat does not read
/// PostgreSQL per message (docs/chat.md, "Sending"): a channel (its performer and live broadcast) for
/// <see cref="ChannelTtl"/>, so a message sent within that time of going live may miss its broadcast id; a channel's
/// emotes for <see cref="EmoteTtl"/> (a new emote works within that time); users by id and by name (mentions) for
/// <see cref="UserTtl"/>, unknown names included, so a mention of nobody costs one read a while; a sender's roles in a
/// channel (its badges) for <see cref="RolesTtl"/>, read through <see cref="IChannelRoleStore"/> (Redis, then
/// PostgreSQL) and forgotten at once when Api announces a change of them (<see cref="ForgetRoles"/>), so a busy chat
/// does not ask Redis per message either. Bounded in size.
/// </summary>
public sealed class ChatDirectory(NpgsqlDataSource database, IChannelRoleStore roles, IMemoryCache cache)
{
    private readonly Dictionary<object, Task> _loading = [];

    public static readonly TimeSpan ChannelTtl = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan EmoteTtl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan UserTtl = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan RolesTtl = TimeSpan.FromSeconds(10);

    /// <summary>The database the lookups read (a reply's parent is read uncached).</summary>
    public NpgsqlDataSource Database => database;

    /// <summary>The channel, or null when there is none (an unknown id is remembered as briefly as a known one).</summary>
    public Task<ChatChannel?> ChannelAsync(Guid channelId, CancellationToken cancellationToken)
        => GetAsync(("channel", channelId), ChannelTtl, ct => ChatQueries.ReadChannelAsync(database, channelId, ct), cancellationToken);

    /// <summary>The sender, by id.</summary>
    public Task<ChatUser?> UserAsync(Guid userId, CancellationToken cancellationToken)
        => GetAsync(("user", userId), UserTtl, ct => ChatQueries.ReadUserAsync(database, userId, ct), cancellationToken);

    /// <summary>The user's roles in the channel (performer, moderator, subscriber tier), for the badges of a message.</summary>
    public async Task<ChannelRoles> RolesAsync(Guid channelId, Guid userId, CancellationToken cancellationToken)
    {
        var key = ("roles", channelId, userId);
        if (cache.TryGetValue(key, out ChannelRoles known))
        {
            return known;
        }
        var read = await roles.GetAsync(channelId, userId, cancellationToken);
        Set(key, read, RolesTtl);
        return read;
    }

    /// <summary>Called when Api announces that the user's roles in the channel changed: the next message reads them again.</summary>
    public void ForgetRoles(Guid channelId, Guid userId) => cache.Remove(("roles", channelId, userId));

    /// <summary>The channel's emotes by code: its own win over a global one of the same code.</summary>
    public async Task<IReadOnlyDictionary<string, ChatEmote>> EmotesAsync(Guid channelId, CancellationToken cancellationToken)
        => (await GetAsync(("emotes", channelId), EmoteTtl, async ct =>
        {
            var emotes = await ChatQueries.ReadEmotesAsync(database, channelId, ct);
            var byCode = new Dictionary<string, ChatEmote>(StringComparer.Ordinal);
            foreach (var emote in emotes.OrderBy(e => e.IsChannelEmote))
            {
                byCode[emote.Code] = emote;
            }
            return (IReadOnlyDictionary<string, ChatEmote>?)byCode;
        }, cancellationToken))!;

    /// <summary>The users with these lower-case names; names nobody has are left out.</summary>
    public async Task<IReadOnlyDictionary<string, ChatUser>> UsersByNameAsync(IReadOnlyCollection<string> normalizedNames, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ChatUser>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var name in normalizedNames)
        {
            if (cache.TryGetValue(("name", name), out ChatUser? user))
            {
                if (user is not null)
                {
                    found[name] = user;
                }
            }
            else
            {
                missing.Add(name);
            }
        }
        if (missing.Count > 0)
        {
            var users = await ChatQueries.FindUsersByNameAsync(database, missing, cancellationToken);
            foreach (var name in missing)
            {
                var user = users.FirstOrDefault(u => string.Equals(u.Username, name, StringComparison.OrdinalIgnoreCase));
                Set(("name", name), user, UserTtl);
                if (user is not null)
                {
                    found[name] = user;
                }
            }
        }
        return found;
    }

    // One load per key at a time: when an entry expires under a busy chat, the sends that miss it wait for the one
    // read under way instead of each reading the database (and each taking a pooled connection) at once.
    private async Task<T?> GetAsync<T>(object key, TimeSpan ttl, Func<CancellationToken, Task<T?>> load, CancellationToken cancellationToken)
        where T : class
    {
        if (cache.TryGetValue(key, out T? value))
        {
            return value;
        }
        Task<T?> loading;
        lock (_loading)
        {
            if (_loading.TryGetValue(key, out var running))
            {
                loading = (Task<T?>)running;
            }
            else
            {
                loading = LoadAsync(key, ttl, load);
                _loading[key] = loading;
            }
        }
        return await loading.WaitAsync(cancellationToken);
    }

    private async Task<T?> LoadAsync<T>(object key, TimeSpan ttl, Func<CancellationToken, Task<T?>> load)
        where T : class
    {
        await Task.Yield(); // the caller registers this load under its lock first; its end below takes that lock
        try
        {
            // Not cancelled with the first caller: the others wait for the same read.
            var value = await load(CancellationToken.None);
            Set(key, value, ttl);
            return value;
        }
        finally
        {
            lock (_loading)
            {
                _loading.Remove(key);
            }
        }
    }

    private void Set<T>(object key, T? value, TimeSpan ttl)
    {
        using var entry = cache.CreateEntry(key);
        entry.Value = value;
        entry.AbsoluteExpirationRelativeToNow = ttl;
        entry.Size = 1;
    }
}
