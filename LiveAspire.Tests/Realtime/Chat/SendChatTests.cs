using System.Net.Http.Headers;
using LiveAspire.Api.Seeding;
using LiveAspire.Client;
using LiveAspire.Contracts.Chat;
using LiveAspire.Contracts.Paging;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Data.Chat;
using LiveAspire.Hosting;
using LiveAspire.Tests.Web;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LiveAspire.Tests.Realtime.Chat;

/// <summary>
/// SendChat against the running system (docs/chat.md): two Realtime replicas, PostgreSQL's group commit, Redis's
/// numbering, the Worker's sweep and Api's history. Senders and watchers are real users with hub clients, pinned to a
/// replica where it matters.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class SendChatTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task ARetriedSendWithTheSameClientMsgIdIsOneRowOneEventAndTheSameAnswer()
    {
        var channel = await NewChannelAsync();
        var sender = await NewUserAsync();
        await using var watcher = await WatchAsync(Replica(1), channel);
        await using var client = await ConnectAsync(Replica(0), sender.UserId);

        var first = await client.Client.SendChatAsync(Id(channel), "hello once", "retry-1");
        var again = await client.Client.SendChatAsync(Id(channel), "hello once", "retry-1");
        var other = await client.Client.SendChatAsync(Id(channel), "hello twice", "retry-2");

        Assert.Equal(ChatStatuses.Published, first.Status);
        Assert.Equal(first, again);
        Assert.NotEqual(first.MessageId, other.MessageId);
        await watcher.WaitForSeqAsync(Room(channel), other.Seq!.Value);
        var messages = Messages(watcher, channel);
        Assert.Equal([first.MessageId, other.MessageId], messages.Select(m => m.Message.Id));
        Assert.Equal([first.Seq!.Value, other.Seq.Value], messages.Select(m => m.Seq));
        Assert.Equal(first.MessageId.ToString("D"), messages[0].EnvelopeId);
        Assert.Equal(2, await CountRowsAsync(sender.UserId));
    }

    [Fact]
    public async Task MessagesFromSendersOnBothReplicasAppearInOneSeqOrderForEveryClient()
    {
        var channel = await NewChannelAsync();
        var senders = await SystemTokens.NewSeededUsersAsync(System, 2);
        await using var watcherA = await WatchAsync(Replica(0), channel);
        await using var watcherB = await WatchAsync(Replica(1), channel);
        await using var senderA = await ConnectAsync(Replica(0), senders[0].UserId);
        await using var senderB = await ConnectAsync(Replica(1), senders[1].UserId);

        var sends = new List<Task<SendChatResult>>();
        for (var i = 0; i < 4; i++)
        {
            sends.Add(senderA.Client.SendChatAsync(Id(channel), $"from a {i}", $"a-{i}"));
            sends.Add(senderB.Client.SendChatAsync(Id(channel), $"from b {i}", $"b-{i}"));
        }
        var results = await Task.WhenAll(sends);
        var last = results.Max(r => r.Seq!.Value);
        await watcherA.WaitForSeqAsync(Room(channel), last);
        await watcherB.WaitForSeqAsync(Room(channel), last);

        var seenA = Messages(watcherA, channel).Select(m => (m.Seq, m.Message.Id)).ToList();
        var seenB = Messages(watcherB, channel).Select(m => (m.Seq, m.Message.Id)).ToList();
        Assert.Equal(8, seenA.Count);
        Assert.Equal(seenA, seenB);
        Assert.Equal(seenA.OrderBy(s => s.Seq), seenA);
        Assert.Equal(results.Select(r => (r.Seq!.Value, r.MessageId)).OrderBy(r => r.Item1), seenA.Select(s => (s.Seq, s.Id)));
    }

    [Fact]
    public async Task AMessageIsParsedOnTheServerMarkupStaysTextAndAMentionedUserIsTold()
    {
        var channel = await NewChannelAsync();
        var users = await SystemTokens.NewSeededUsersAsync(System, 2);
        var (sender, mentioned) = (users[0], users[1]);
        await using var watcher = await WatchAsync(Replica(0), channel);
        await using var mentionedClient = await ConnectAsync(Replica(1), mentioned.UserId);
        var userRoom = $"user:{mentioned.UserId:D}";
        Assert.True((await mentionedClient.Client.JoinAsync([userRoom]))[userRoom].Recovered);
        await using var client = await ConnectAsync(Replica(1), sender.UserId);

        var text = $"<script>alert(1)</script> hi @{mentioned.Username} and @nobody_{Guid.NewGuid():N} see https://example.com/a?b=1";
        var sent = await client.Client.SendChatAsync(Id(channel), text, "parsed-1");

        await watcher.WaitForSeqAsync(Room(channel), sent.Seq!.Value);
        var message = Assert.Single(Messages(watcher, channel)).Message;
        Assert.Equal(sender.UserId, message.Sender.Id);
        Assert.Equal(sender.Username, message.Sender.Name);
        Assert.Equal(text, string.Concat(message.Fragments.Select(f => f.Text)));
        Assert.Contains(message.Fragments, f => f.Type == ChatFragmentTypes.Text && f.Text.Contains("<script>alert(1)</script>", StringComparison.Ordinal));
        var mention = Assert.Single(message.Fragments, f => f.Type == ChatFragmentTypes.Mention);
        Assert.Equal(mentioned.UserId, mention.UserId);
        var link = Assert.Single(message.Fragments, f => f.Type == ChatFragmentTypes.Link);
        Assert.Equal("https://example.com/a?b=1", link.Url);
        Assert.Null(message.BroadcastId); // offline: chat works, with no broadcast to place it in

        await Eventually.UntilAsync(() => mentionedClient.In(userRoom).Any(e => e.Type == EventTypes.ChatMention), "chat.mention in the mentioned user's room");
        var told = mentionedClient.In(userRoom).First(e => e.Type == EventTypes.ChatMention).Data.Deserialize<ChatMention>(Json)!;
        Assert.Equal(sent.MessageId, told.MessageId);
        Assert.Equal(channel.Id, told.ChannelId);
    }

    [Fact]
    public async Task AMessageSentDuringABroadcastCarriesItsIdAndOffsetAndRepliesQuoteTheirParent()
    {
        var channel = await NewChannelAsync();
        await channel.GoLiveAsync(System, "Chatty");
        var users = await SystemTokens.NewSeededUsersAsync(System, 2);
        await using var watcher = await WatchAsync(Replica(0), channel);
        await using var first = await ConnectAsync(Replica(0), users[0].UserId);
        await using var second = await ConnectAsync(Replica(1), users[1].UserId);

        var parent = await first.Client.SendChatAsync(Id(channel), "what is the plan today?", "live-1");
        var reply = await second.Client.SendChatAsync(Id(channel), "chess, then more chess", "live-2", parent.MessageId.ToString("D"));

        await watcher.WaitForSeqAsync(Room(channel), reply.Seq!.Value);
        var messages = Messages(watcher, channel).Select(m => m.Message).ToList();
        var answer = messages.Single(m => m.Id == reply.MessageId);
        Assert.NotNull(answer.BroadcastId);
        Assert.True(answer.OffsetMs >= 0);
        Assert.Equal(new ChatReplyRef(parent.MessageId, users[0].UserId, users[0].Username, "what is the plan today?"), answer.ReplyTo);
        var wrongReply = await Assert.ThrowsAsync<LiveHubInvocationException>(
            () => second.Client.SendChatAsync(Id(channel), "to nothing", "live-3", Guid.NewGuid().ToString("D")));
        Assert.Equal(HubErrorCodes.ChatReplyNotFound, wrongReply.Code);
        await channel.EndAsync(System);
    }

    [Fact]
    public async Task AStoredMessageWhosePublishFailedIsPublishedOnceOnTheRetry()
    {
        var channel = await NewChannelAsync();
        var sender = await NewUserAsync();
        await using var watcher = await WatchAsync(Replica(0), channel);
        await using var client = await ConnectAsync(Replica(1), sender.UserId);
        var clientMsgId = $"fault-{Guid.NewGuid():N}";

        using (ArmDrop(clientMsgId))
        {
            var failed = await Assert.ThrowsAsync<LiveHubInvocationException>(() => client.Client.SendChatAsync(Id(channel), "stored, not published", clientMsgId));
            Assert.Equal(HubErrorCodes.RedisUnavailable, failed.Code);
        }
        Assert.Equal(1, await CountRowsAsync(sender.UserId));

        var retried = await client.Client.SendChatAsync(Id(channel), "stored, not published", clientMsgId);
        var marker = await client.Client.SendChatAsync(Id(channel), "after it", $"marker-{Guid.NewGuid():N}");

        await watcher.WaitForSeqAsync(Room(channel), marker.Seq!.Value);
        var messages = Messages(watcher, channel);
        Assert.Single(messages, m => m.Message.Id == retried.MessageId);
        Assert.Equal(retried.Seq, messages.Single(m => m.Message.Id == retried.MessageId).Seq);
        Assert.Equal(2, await CountRowsAsync(sender.UserId));
    }

    [Fact]
    public async Task WithoutARetryTheSweepPublishesTheStoredMessageOnce()
    {
        var channel = await NewChannelAsync();
        var sender = await NewUserAsync();
        await using var watcher = await WatchAsync(Replica(1), channel);
        await using var client = await ConnectAsync(Replica(0), sender.UserId);
        var clientMsgId = $"sweep-{Guid.NewGuid():N}";

        using (ArmDrop(clientMsgId))
        {
            var failed = await Assert.ThrowsAsync<LiveHubInvocationException>(() => client.Client.SendChatAsync(Id(channel), "left for the sweep", clientMsgId));
            Assert.Equal(HubErrorCodes.RedisUnavailable, failed.Code);
        }

        // The Worker's sweep publishes messages older than 5 s that were never published.
        await Eventually.UntilAsync(() => Messages(watcher, channel).Count == 1, "the sweep to publish the stored message", TimeSpan.FromSeconds(60));
        var swept = Messages(watcher, channel)[0];
        Assert.Equal("left for the sweep", string.Concat(swept.Message.Fragments.Select(f => f.Text)));
        await Eventually.UntilAsync(async () => await PublishedSeqAsync(swept.Message.Id) == swept.Seq, "the swept message marked with its seq");

        // A late retry is answered from the row: the same id and seq, no second event.
        var late = await client.Client.SendChatAsync(Id(channel), "left for the sweep", clientMsgId);
        Assert.Equal((swept.Message.Id, swept.Seq), (late.MessageId, late.Seq!.Value));
        var marker = await client.Client.SendChatAsync(Id(channel), "marker", $"marker-{Guid.NewGuid():N}");
        await watcher.WaitForSeqAsync(Room(channel), marker.Seq!.Value);
        Assert.Single(Messages(watcher, channel), m => m.Message.Id == swept.Message.Id);
    }

    [Fact]
    public async Task LimitsHoldAcrossTwoReplicasAndEachRefusalSaysWhenToRetry()
    {
        var channel = await NewChannelAsync();
        var sender = await NewUserAsync();
        await using var onA = await ConnectAsync(Replica(0), sender.UserId);
        await using var onB = await ConnectAsync(Replica(1), sender.UserId);

        // One budget for the user in this channel, whichever replica a message goes to: 5 at once, then about 1 a
        // second. However slowly this machine sends, a refusal comes long before the 30 a minute.
        LiveHubInvocationException? refused = null;
        var accepted = 0;
        var started = global::System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 25 && refused is null; i++)
        {
            try
            {
                await (i % 2 == 0 ? onA : onB).Client.SendChatAsync(Id(channel), $"message {i}", $"limit-{i}");
                accepted++;
            }
            catch (LiveHubInvocationException e)
            {
                refused = e;
            }
        }
        Assert.NotNull(refused);
        Assert.Equal(HubErrorCodes.ChatRateLimited, refused.Code);
        Assert.InRange(refused.RetryAfterMs!.Value, 1, 1001);
        Assert.InRange(accepted, 5, 5 + (int)Math.Ceiling(started.Elapsed.TotalSeconds) + 1);

        // After the wait it names, the next message goes through (on the other replica).
        await Task.Delay(refused.RetryAfterMs.Value + 50);
        await onB.Client.SendChatAsync(Id(channel), "patient now", "limit-after");

        // The same text again within 30 s is refused on either replica, with the time left.
        await Task.Delay(1100);
        var duplicate = await Assert.ThrowsAsync<LiveHubInvocationException>(() => onA.Client.SendChatAsync(Id(channel), "patient now", "limit-dup"));
        Assert.Equal(HubErrorCodes.ChatDuplicate, duplicate.Code);
        Assert.InRange(duplicate.RetryAfterMs!.Value, 1, 30_001);
    }

    [Fact]
    public async Task BadInputIsRefusedWithItsCodeAndStoresNothing()
    {
        var channel = await NewChannelAsync();
        var sender = await NewUserAsync();
        await using var client = await ConnectAsync(Replica(0), sender.UserId);
        var id = Id(channel);

        async Task<string?> CodeOf(Func<Task> send) => (await Assert.ThrowsAsync<LiveHubInvocationException>(send)).Code;

        Assert.Equal(HubErrorCodes.ChatEmpty, await CodeOf(() => client.Client.SendChatAsync(id, " \u200B\u202E ", "bad-1")));
        Assert.Equal(HubErrorCodes.ChatTooLong, await CodeOf(() => client.Client.SendChatAsync(id, new string('x', 501), "bad-2")));
        // chat_text_invalid (a lone surrogate) cannot be sent through this client, whose JSON writer replaces one with
        // U+FFFD: ChatTextTests covers it.
        Assert.Equal(HubErrorCodes.ChannelNotFound, await CodeOf(() => client.Client.SendChatAsync(Guid.NewGuid().ToString("D"), "hello", "bad-4")));
        Assert.Equal(HubErrorCodes.InvalidArgument, await CodeOf(() => client.Client.SendChatAsync("not-a-channel", "hello", "bad-5")));
        Assert.Equal(HubErrorCodes.InvalidArgument, await CodeOf(() => client.Client.SendChatAsync(id, "hello", new string('c', 65))));
        Assert.Equal(HubErrorCodes.InvalidArgument, await CodeOf(() => client.Client.SendChatAsync(id, "hello", "bad-6", "not-a-message")));
        Assert.Equal(0, await CountRowsAsync(sender.UserId));

        // 500 characters is the limit, counted as people see them: a family emoji (five code points) is one.
        var longest = string.Concat(Enumerable.Repeat("\U0001F468\u200D\U0001F469\u200D\U0001F467", 500));
        var sent = await client.Client.SendChatAsync(id, longest, "ok-500");
        Assert.Equal(ChatStatuses.Published, sent.Status);
    }

    [Fact]
    public async Task AChannelWithoutAnOwnerTakesChatWithNoPerformerBadge()
    {
        // Channels that predate owners (admin-managed) have none: the bench's channels are made that way too.
        var channel = Guid.NewGuid();
        await using (var database = NpgsqlDataSource.Create(System.ConnectionString("livedb")))
        {
            await using var insert = database.CreateCommand("INSERT INTO channels (id, slug, display_name) VALUES ($1, $2, 'Ownerless')");
            insert.Parameters.Add(new() { Value = channel });
            insert.Parameters.Add(new() { Value = $"o{channel:N}"[..20] });
            await insert.ExecuteNonQueryAsync();
        }
        var sender = await NewUserAsync();
        await using var watcher = await ConnectAsync(Replica(0));
        Assert.Null((await watcher.Client.JoinStreamAsync(channel.ToString("D"))).Error);
        await using var client = await ConnectAsync(Replica(1), sender.UserId);

        var sent = await client.Client.SendChatAsync(channel.ToString("D"), "anyone here?", "ownerless-1");

        await watcher.WaitForSeqAsync($"stream:{channel:D}", sent.Seq!.Value);
        var message = watcher.In($"stream:{channel:D}").Single(e => e.Type == EventTypes.ChatMessage).Data.Deserialize<ChatMessage>(Json)!;
        Assert.Empty(message.Sender.Badges);
    }

    [Fact]
    public async Task BadgesAreComputedOnTheServerAndFollowARoleChange()
    {
        var channel = await NewChannelAsync();
        var viewer = await NewUserAsync();
        await using var watcher = await WatchAsync(Replica(0), channel);
        await using var performer = await LiveClients.ConnectAsync(Replica(1), () => channel.OwnerToken);
        await using var client = await ConnectAsync(Replica(1), viewer.UserId);

        var own = await performer.Client.SendChatAsync(Id(channel), "welcome, everyone", "badge-performer");
        var plain = await client.Client.SendChatAsync(Id(channel), "hello from a viewer", "badge-viewer");
        await watcher.WaitForSeqAsync(Room(channel), plain.Seq!.Value);
        Assert.Equal([ChatBadges.Performer], BadgesOf(watcher, channel, own.MessageId));
        Assert.Empty(BadgesOf(watcher, channel, plain.MessageId));

        // Replica 1 now remembers the viewer's roles (none); the appointment's notice makes it read them again, well
        // before the remembered entry would expire (ChatDirectory.RolesTtl, 10 s).
        using (var api = System.CreateHttpClient("api"))
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", channel.OwnerToken);
            using var appoint = await api.PutAsync($"/api/channels/{channel.Id:D}/moderators/{viewer.UserId:D}", null);
            Assert.Equal(HttpStatusCode.NoContent, appoint.StatusCode);
        }
        var attempt = 0;
        IReadOnlyList<string> badges = [];
        await Eventually.UntilAsync(async () =>
        {
            SendChatResult sent;
            try
            {
                sent = await client.Client.SendChatAsync(Id(channel), $"now a moderator ({attempt})", $"badge-moderator-{attempt++}");
            }
            catch (LiveHubInvocationException e) when (e.Code == HubErrorCodes.ChatRateLimited)
            {
                return false;
            }
            await watcher.WaitForSeqAsync(Room(channel), sent.Seq!.Value);
            badges = BadgesOf(watcher, channel, sent.MessageId);
            return badges.SequenceEqual([ChatBadges.Moderator]);
        }, "the appointed moderator's next message to carry the moderator badge", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task AGuestWatchesButCannotSend()
    {
        var channel = await NewChannelAsync();
        var guest = await Guests.TokenAsync(System, channel.Id);
        await using var client = await LiveClients.ConnectAsync(Replica(0), () => guest.AccessToken);

        var refused = await Assert.ThrowsAsync<LiveHubInvocationException>(() => client.Client.SendChatAsync(Id(channel), "hi", "guest-1"));

        Assert.Equal(HubErrorCodes.GuestForbidden, refused.Code);
    }

    [Fact]
    public async Task HistoryPagesNewestFirstOverMoreThanAThousandMessagesStoredInGroupCommits()
    {
        var channel = await NewChannelAsync();
        var senders = await SystemTokens.NewSeededUsersAsync(System, 3);
        await using var database = NpgsqlDataSource.Create(System.ConnectionString("livedb"));
        var queue = new ChatCommitQueue(database, Options.Create(new ChatStoreOptions()), NullLogger<ChatCommitQueue>.Instance);
        await queue.StartAsync(CancellationToken.None);
        const int Count = 1_050;
        List<StoredChat> stored;
        try
        {
            var start = DateTimeOffset.UtcNow.AddMinutes(-10);
            stored = [.. await Task.WhenAll(Enumerable.Range(0, Count).Select(i =>
            {
                var sentAt = start.AddMilliseconds(i);
                var id = Guid.CreateVersion7(sentAt);
                var sender = senders[i % senders.Count];
                var message = new ChatMessage(id, channel.Id, new ChatSender(sender.UserId, sender.Username, []),
                    [new ChatFragment(ChatFragmentTypes.Text, $"message {i}")], null, null, null, sentAt);
                return queue.StoreAsync(new ChatRow(id, channel.Id, sender.UserId, $"history-{i}", $"message {i}",
                    JsonSerializer.Serialize(message, Json), null, null, null, sentAt));
            }))];
            // The same clientMsgId again: the row stored first, not a second one.
            var retry = await queue.StoreAsync(new ChatRow(Guid.CreateVersion7(), channel.Id, senders[0].UserId, "history-0", "message 0", "{}", null, null, null,
                DateTimeOffset.UtcNow));
            Assert.False(retry.IsNew);
            Assert.Equal(stored[0].Id, retry.Id);
        }
        finally
        {
            await queue.StopAsync(CancellationToken.None);
        }
        Assert.All(stored, s => Assert.True(s.IsNew));
        // Group commits: a few multi-row inserts, not a round trip per message.
        Assert.InRange(queue.Batches, 1, Count / 10);

        using var api = System.CreateHttpClient("api");
        var pages = new List<ChatMessage>();
        string? before = null;
        var pageCount = 0;
        do
        {
            var page = (await api.GetFromJsonAsync<KeysetPage<ChatMessage>>($"/api/channels/{channel.Id:D}/chat?limit=100"
                + (before is null ? "" : $"&before={before}"), Json))!;
            pages.AddRange(page.Items);
            before = page.Next;
            pageCount++;
        }
        while (before is not null);

        Assert.Equal(11, pageCount);
        Assert.Equal(stored.Select(s => s.Id).Reverse(), pages.Select(m => m.Id));
        Assert.Equal("message 1049", pages[0].Fragments[0].Text);
        using var badCursor = await api.GetAsync($"/api/channels/{channel.Id:D}/chat?before=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, badCursor.StatusCode);
        using var unknown = await api.GetAsync($"/api/channels/{Guid.NewGuid():D}/chat");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task AFullCommitQueueRefusesInsteadOfGrowingAndStoresWhatItTook()
    {
        var channel = await NewChannelAsync();
        var sender = await NewUserAsync();
        await using var database = NpgsqlDataSource.Create(System.ConnectionString("livedb"));
        // Not started yet: nothing drains it, so it fills.
        var queue = new ChatCommitQueue(database, Options.Create(new ChatStoreOptions { CommitQueueCapacity = 2 }), NullLogger<ChatCommitQueue>.Instance);
        ChatRow Row(int i)
        {
            var id = Guid.CreateVersion7();
            var message = new ChatMessage(id, channel.Id, new ChatSender(sender.UserId, sender.Username, []),
                [new ChatFragment(ChatFragmentTypes.Text, $"queued {i}")], null, null, null, DateTimeOffset.UtcNow);
            return new ChatRow(id, channel.Id, sender.UserId, $"busy-{i}", $"queued {i}", JsonSerializer.Serialize(message, Json), null, null, null,
                DateTimeOffset.UtcNow);
        }

        var taken = new[] { queue.StoreAsync(Row(0)), queue.StoreAsync(Row(1)) };
        Assert.Throws<ChatQueueFullException>(() => { _ = queue.StoreAsync(Row(2)); }); // thrown at once, not from the task
        Assert.Equal(2, queue.Waiting);

        await queue.StartAsync(CancellationToken.None);
        try
        {
            Assert.All(await Task.WhenAll(taken), s => Assert.True(s.IsNew));
        }
        finally
        {
            await queue.StopAsync(CancellationToken.None);
        }
        Assert.Equal(2, await CountRowsAsync(sender.UserId));
    }

    private Task<StreamChannel> NewChannelAsync() => StreamChannels.CreateAsync(System, $"Chat {Guid.NewGuid():N}"[..20]);

    private async Task<SeededUser> NewUserAsync() => (await SystemTokens.NewSeededUsersAsync(System))[0];

    private static string Id(StreamChannel channel) => channel.Id.ToString("D");

    private static string Room(StreamChannel channel) => $"stream:{channel.Id:D}";

    /// <summary>A watcher (a new user) in the channel's stream room on <paramref name="replica"/>.</summary>
    private async Task<CollectingClient> WatchAsync(Uri replica, StreamChannel channel)
    {
        var watcher = await ConnectAsync(replica);
        Assert.Null((await watcher.Client.JoinStreamAsync(Id(channel))).Error);
        return watcher;
    }

    private static IReadOnlyList<string> BadgesOf(CollectingClient client, StreamChannel channel, Guid messageId)
        => Messages(client, channel).Single(m => m.Message.Id == messageId).Message.Sender.Badges;

    private static List<(long Seq, string EnvelopeId, ChatMessage Message)> Messages(CollectingClient client, StreamChannel channel)
        => [.. client.In(Room(channel)).Where(e => e.Type == EventTypes.ChatMessage)
            .Select(e => (e.Seq, e.Id, e.Data.Deserialize<ChatMessage>(Json)!))];

    private async Task<int> CountRowsAsync(Guid sender)
    {
        await using var database = NpgsqlDataSource.Create(System.ConnectionString("livedb"));
        await using var command = database.CreateCommand("SELECT count(*) FROM chat_messages WHERE sender_id = $1");
        command.Parameters.Add(new() { Value = sender });
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long?> PublishedSeqAsync(Guid message)
    {
        await using var database = NpgsqlDataSource.Create(System.ConnectionString("livedb"));
        await using var command = database.CreateCommand("SELECT seq FROM chat_messages WHERE id = $1 AND published_at IS NOT NULL");
        command.Parameters.Add(new() { Value = message });
        return await command.ExecuteScalarAsync() is long seq ? seq : null;
    }

    /// <summary>Arms <c>chat-before-publish</c> with <c>drop</c> for one clientMsgId: that send's publish fails as if Redis
    /// were down. Disposing disarms it.</summary>
    private DroppedPublish ArmDrop(string clientMsgId)
    {
        var arm = Path.Combine(System.FaultDirectory, $"{FaultHookNames.ChatBeforePublish}.arm");
        File.WriteAllText(arm, $"drop\ncontext={clientMsgId}");
        return new DroppedPublish(arm);
    }

    private sealed class DroppedPublish(string arm) : IDisposable
    {
        public void Dispose() => File.Delete(arm);
    }
}
