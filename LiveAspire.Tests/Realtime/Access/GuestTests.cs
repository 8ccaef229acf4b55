using System.Net.WebSockets;
using LiveAspire.Client;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Errors;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime.Access;

/// <summary>
/// Guests on the hub (docs/realtime.md, "Guests"): a guest token from Api reads its channel's stream room and nothing
/// else, sends and acts never, is closed by the periodic re-check once its channel stops allowing anonymous viewers,
/// and counts in the viewer count as a connection.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class GuestTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A few re-check intervals: the bound is one, the rest is patience for a loaded machine.</summary>
    private static readonly TimeSpan Deadline = AppHostFixture.RecheckInterval * 5;

    private async Task<CollectingClient> ConnectGuestAsync(Uri url, Guid channel)
    {
        var token = await Guests.TokenAsync(System, channel);
        return await LiveClients.ConnectAsync(url, () => token.AccessToken);
    }

    private static async Task<string?> JoinErrorAsync(CollectingClient client, string room) =>
        (await client.Client.JoinAsync([room]))[room].Error;

    private static async Task<string> InvocationErrorAsync(Func<Task> call) =>
        (await Assert.ThrowsAsync<LiveHubInvocationException>(call)).Message;

    [Fact]
    public async Task AGuestReadsItsChannelsStreamRoomAndIsRefusedEveryOtherRoom()
    {
        var (_, channel) = await Guests.NewChannelAsync(System);
        var (_, other) = await Guests.NewChannelAsync(System);
        var users = await SystemTokens.NewUsersAsync(System, 2);
        var room = $"stream:{channel:D}";
        await using var guest = await ConnectGuestAsync(System.Endpoint("realtime"), channel);

        Assert.Null((await guest.Client.JoinStreamAsync(channel.ToString("D"))).Error);
        var published = await Rooms.PublishAsync(room, 1);
        await guest.WaitForSeqAsync(room, published.Seq);

        Assert.Equal(HubErrorCodes.RoomForbidden, (await guest.Client.JoinStreamAsync(other.ToString("D"))).Error);
        var dm = users[0].CompareTo(users[1]) < 0 ? $"dm:{users[0]:D}:{users[1]:D}" : $"dm:{users[1]:D}:{users[0]:D}";
        foreach (var forbidden in new[] { $"stream:{other:D}", $"user:{users[0]:D}", dm, $"mod:{channel:D}", $"alerts:{channel:D}" })
        {
            Assert.Equal(HubErrorCodes.RoomForbidden, await JoinErrorAsync(guest, forbidden));
        }
    }

    [Fact]
    public async Task AGuestIsRefusedEveryHubMethodThatSendsOrActsAndEveryUserEndpointOfApi()
    {
        var (_, channel) = await Guests.NewChannelAsync(System);
        var users = await SystemTokens.NewUsersAsync(System, 2);
        var dm = users[0].CompareTo(users[1]) < 0 ? $"dm:{users[0]:D}:{users[1]:D}" : $"dm:{users[1]:D}:{users[0]:D}";
        var token = await Guests.TokenAsync(System, channel);
        await using var guest = await LiveClients.ConnectAsync(System.Endpoint("realtime"), () => token.AccessToken);
        await using var user = await ConnectAsync(System.Endpoint("realtime"), users[0]);

        var presence = await InvocationErrorAsync(() => guest.Client.InvokeAsync<Dictionary<string, bool>>(
            LiveHubContract.GetPresence, [new[] { users[1].ToString("D") }], CancellationToken.None));
        var typing = await InvocationErrorAsync(() => guest.Client.InvokeAsync(LiveHubContract.Typing, [dm, null], CancellationToken.None));

        Assert.Contains($"HubException: {HubErrorCodes.GuestForbidden}: ", presence, StringComparison.Ordinal);
        Assert.Contains($"HubException: {HubErrorCodes.GuestForbidden}: ", typing, StringComparison.Ordinal);
        // The refusal is the guest's: a user may ask, and the guest's connection stays open for what it may do.
        Assert.False((await user.Client.InvokeAsync<Dictionary<string, bool>>(LiveHubContract.GetPresence, [new[] { users[1].ToString("D") }], CancellationToken.None))[users[1].ToString("D")]);
        Assert.StartsWith("realtime-", (await guest.Client.PingAsync()).Replica, StringComparison.Ordinal);
        Assert.Null((await guest.Client.JoinStreamAsync(channel.ToString("D"))).Error);

        // Api: the guest token authenticates but is no user's, so every user endpoint refuses it.
        using var api = Guests.Api(System, token.AccessToken);
        await (await api.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.Forbidden);
        await (await api.PutAsync($"/api/channels/{channel:D}/follow", null)).AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.Forbidden);
        await (await api.PostAsJsonAsync("/api/channels", new { slug = $"g{Guid.NewGuid():N}"[..16], displayName = "Guest" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.Forbidden);
    }

    [Fact]
    public async Task AChannelClosedToGuestsIssuesNoGuestTokenAndTheRecheckClosesItsOpenGuestsOnEveryReplica()
    {
        var (_, closed) = await Guests.NewChannelAsync(System, allowAnonymous: false);
        using (var refused = await Guests.RequestTokenAsync(System, closed))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.GuestsNotAllowed);
        }
        using (var missing = await Guests.RequestTokenAsync(System, Guid.NewGuid()))
        {
            await missing.AssertProblemAsync(HttpStatusCode.NotFound, ApiErrorCodes.ChannelNotFound);
        }

        var (owner, channel) = await Guests.NewChannelAsync(System);
        var (_, open) = await Guests.NewChannelAsync(System);
        var token = await Guests.TokenAsync(System, channel);
        var guests = new List<CollectingClient>();
        foreach (var replica in System.Parts("realtime"))
        {
            var guest = await LiveClients.ConnectAsync(replica.Url!, () => token.AccessToken);
            guests.Add(guest);
            Assert.Null((await guest.Client.JoinStreamAsync(channel.ToString("D"))).Error);
        }
        await using var otherGuest = await ConnectGuestAsync(System.Endpoint("realtime"), open);
        await using var viewer = await ConnectAsync(System.Endpoint("realtime"));
        Assert.Null((await viewer.Client.JoinStreamAsync(channel.ToString("D"))).Error);
        try
        {
            await Guests.SetAllowAnonymousAsync(System, owner, channel, allowAnonymous: false);

            foreach (var guest in guests)
            {
                await Eventually.UntilAsync(() => guest.Client.RevokedReason == RevocationReasons.GuestsNotAllowed,
                    "the re-check to close the guest of a channel closed to guests", Deadline);
            }
            using (var refused = await Guests.RequestTokenAsync(System, channel))
            {
                await refused.AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.GuestsNotAllowed);
            }
            // The old token has not expired, yet it opens nothing any more (PATCH updated the validators' cache).
            Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeStatusAsync(token.AccessToken));
            // A signed-in viewer of that channel stays, and so does a guest of another channel.
            Assert.StartsWith("realtime-", (await viewer.Client.PingAsync()).Replica, StringComparison.Ordinal);
            Assert.StartsWith("realtime-", (await otherGuest.Client.PingAsync()).Replica, StringComparison.Ordinal);
            Assert.Null(viewer.Client.RevokedReason);
            Assert.Null(otherGuest.Client.RevokedReason);
        }
        finally
        {
            foreach (var guest in guests)
            {
                await guest.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TheViewerCountCountsAGuestAsAConnectionAndNotAsAUser()
    {
        var (_, channel) = await Guests.NewChannelAsync(System);
        var room = $"stream:{channel:D}";
        await using var viewer = await ConnectAsync(Replica(0));
        Assert.Null((await viewer.Client.JoinStreamAsync(channel.ToString("D"))).Error);
        await WaitForCountAsync(viewer, room, users: 1, connections: 1);

        var guest = await ConnectGuestAsync(Replica(1), channel);
        try
        {
            Assert.Null((await guest.Client.JoinStreamAsync(channel.ToString("D"))).Error);
            await WaitForCountAsync(viewer, room, users: 1, connections: 2);
        }
        finally
        {
            await guest.DisposeAsync();
        }
        await WaitForCountAsync(viewer, room, users: 1, connections: 1);
    }

    private static PresenceCount? LatestCount(CollectingClient client, string room) =>
        client.In(room).Where(e => e.Type == EventTypes.PresenceCount).Select(e => e.Data.Deserialize<PresenceCount>(Json)).LastOrDefault();

    private static Task WaitForCountAsync(CollectingClient client, string room, long users, long connections) =>
        Eventually.UntilAsync(() => LatestCount(client, room) == new PresenceCount(users, connections),
            $"{room} presence.count {{users {users}, connections {connections}}} (latest: {LatestCount(client, room)})");

    /// <summary>The status of a WebSocket upgrade to the hub with <paramref name="token"/> in the Authorization header.</summary>
    private async Task<HttpStatusCode> UpgradeStatusAsync(string token)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(new UriBuilder(System.Endpoint("realtime")) { Scheme = "ws", Path = LiveHubContract.Path }.Uri, cts.Token);
        }
        catch (WebSocketException)
        {
        }
        return socket.HttpStatusCode;
    }
}
