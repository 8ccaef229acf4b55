using System.Net.Http.Headers;
using LiveAspire.Client;
using LiveAspire.Contracts.Channels;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Realtime.Access;

/// <summary>Who reads mod: and alerts: rooms, overlay tokens, and channel events reaching live rooms (issue 4).</summary>
[Collection(SystemCollection.Name)]
public sealed class ChannelRoomRulesTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private HttpClient ApiAs(Guid user)
    {
        var api = System.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SystemTokens.Mint(System, user));
        return api;
    }

    private async Task<(Guid Owner, Guid Channel)> NewChannelAsync()
    {
        var owner = await SystemTokens.NewUserAsync(System);
        using var api = ApiAs(owner);
        var slug = $"ch{Guid.NewGuid():N}"[..16];
        using var response = await api.PostAsJsonAsync("/api/channels", new CreateChannelRequest(slug, "Rules Test", "testing", "", "", null, null, null));
        Assert.True(response.IsSuccessStatusCode, $"create channel answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (owner, (await response.Content.ReadFromJsonAsync<ChannelDto>())!.Id);
    }

    private static async Task<string?> JoinErrorAsync(CollectingClient client, string room) =>
        (await client.Client.JoinAsync([room]))[room].Error;

    [Fact]
    public async Task ViewerCannotReadModOrAlertsRoomsButThePerformerCan()
    {
        var (owner, channel) = await NewChannelAsync();
        await using var viewer = await ConnectAsync(System.Endpoint("realtime"));
        await using var performer = await ConnectAsync(System.Endpoint("realtime"), owner);

        Assert.Equal(HubErrorCodes.RoomForbidden, await JoinErrorAsync(viewer, $"mod:{channel:D}"));
        Assert.Equal(HubErrorCodes.RoomForbidden, await JoinErrorAsync(viewer, $"alerts:{channel:D}"));
        Assert.Null(await JoinErrorAsync(performer, $"mod:{channel:D}"));
        Assert.Null(await JoinErrorAsync(performer, $"alerts:{channel:D}"));
    }

    [Fact]
    public async Task ModeratorAppointmentTakesEffectOnAnAlreadyOpenConnection()
    {
        var (owner, channel) = await NewChannelAsync();
        var moderator = await SystemTokens.NewUserAsync(System);
        var room = $"mod:{channel:D}";
        await using var client = await ConnectAsync(System.Endpoint("realtime"), moderator);
        var errors = new List<LiveHubError>();
        client.Client.ErrorReceived += e => { lock (errors) { errors.Add(e); } };
        Assert.Equal(HubErrorCodes.RoomForbidden, await JoinErrorAsync(client, room));

        using var api = ApiAs(owner);
        using (var appoint = await api.PutAsync($"/api/channels/{channel}/moderators/{moderator}", null))
        {
            Assert.True(appoint.IsSuccessStatusCode, $"appoint answered {(int)appoint.StatusCode}");
        }
        // Same connection, no reconnect: the role cache was invalidated, so the next join sees the new role.
        Assert.Null(await JoinErrorAsync(client, room));
        var first = await Rooms.PublishAsync(room, 1);
        await client.WaitForSeqAsync(room, first.Seq);

        using (var remove = await api.DeleteAsync($"/api/channels/{channel}/moderators/{moderator}"))
        {
            Assert.True(remove.IsSuccessStatusCode, $"remove answered {(int)remove.StatusCode}");
        }
        await Eventually.UntilAsync(() => { lock (errors) { return errors.Any(e => e.Code == HubErrorCodes.RoomForbidden); } },
            "the removed moderator to be taken out of the room", TimeSpan.FromSeconds(10));
        var after = await Rooms.PublishAsync(room, 2);
        var marker = await Rooms.PublishAsync($"user:{moderator:D}", 1); // a room the user still reads, to know delivery moved on
        await client.Client.JoinAsync([$"user:{moderator:D}"]);
        await Rooms.PublishAsync($"user:{moderator:D}", 2);
        await client.WaitForSeqAsync($"user:{moderator:D}", marker.Seq + 1);
        Assert.DoesNotContain(client.In(room), e => e.Seq == after.Seq);
    }

    [Fact]
    public async Task OverlayTokenResumesItsOwnAlertsRoomOnlyAndARotatedKeyStopsWorking()
    {
        var (owner, channel) = await NewChannelAsync();
        var (_, otherChannel) = await NewChannelAsync();
        using var api = ApiAs(owner);
        using var created = await api.PostAsync($"/api/channels/{channel}/overlay-keys", null);
        Assert.True(created.IsSuccessStatusCode, $"create key answered {(int)created.StatusCode}");
        var key = (await created.Content.ReadFromJsonAsync<OverlayKeySecret>())!;
        using var anonymous = System.CreateHttpClient("api");
        using var exchanged = await anonymous.PostAsJsonAsync("/api/overlay/token", new OverlayTokenRequest(key.Key));
        Assert.True(exchanged.IsSuccessStatusCode, $"exchange answered {(int)exchanged.StatusCode}");
        var overlayToken = (await exchanged.Content.ReadFromJsonAsync<OverlayTokenResponse>())!.AccessToken;

        await using (var overlay = await LiveClients.ConnectAsync(System.Endpoint("realtime"), () => overlayToken))
        {
            var alerts = $"alerts:{channel:D}";
            var results = await overlay.Client.JoinAsync([alerts, $"alerts:{otherChannel:D}", $"stream:{channel:D}", $"mod:{channel:D}"]);
            Assert.Null(results[alerts].Error);
            Assert.Equal(HubErrorCodes.RoomForbidden, results[$"alerts:{otherChannel:D}"].Error);
            Assert.Equal(HubErrorCodes.RoomForbidden, results[$"stream:{channel:D}"].Error);
            Assert.Equal(HubErrorCodes.RoomForbidden, results[$"mod:{channel:D}"].Error);
            var alert = await Rooms.PublishAsync(alerts, 1);
            await overlay.WaitForSeqAsync(alerts, alert.Seq);
        }
        using (var me = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/me") { Headers = { Authorization = new("Bearer", overlayToken) } }))
        {
            Assert.True(me.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"an overlay token reached /api/me: {(int)me.StatusCode}");
        }

        using var rotated = await api.PostAsync($"/api/channels/{channel}/overlay-keys/{key.Id}/rotate", null);
        Assert.True(rotated.IsSuccessStatusCode, $"rotate answered {(int)rotated.StatusCode}");
        using var stale = await anonymous.PostAsJsonAsync("/api/overlay/token", new OverlayTokenRequest(key.Key));
        Assert.False(stale.IsSuccessStatusCode);
        await Assert.ThrowsAsync<LiveHubUnauthorizedException>(async () =>
            await LiveClients.ConnectAsync(System.Endpoint("realtime"), () => overlayToken));
    }

    [Fact]
    public async Task GoingLiveAndEndingReachAClientInTheStreamRoomThroughTheOutbox()
    {
        var (owner, channel) = await NewChannelAsync();
        var room = $"stream:{channel:D}";
        await using var viewer = await ConnectAsync(System.Endpoint("realtime"));
        await viewer.Client.JoinAsync([room]);
        using var api = ApiAs(owner);

        using (var live = await api.PostAsJsonAsync($"/api/channels/{channel}/streams", new StartStreamRequest("First stream", "testing")))
        {
            Assert.True(live.IsSuccessStatusCode, $"go live answered {(int)live.StatusCode}: {await live.Content.ReadAsStringAsync()}");
        }
        await Eventually.UntilAsync(() => viewer.In(room).Any(e => e.Type == "stream.started"), "stream.started in the room");
        using (var end = await api.PostAsync($"/api/channels/{channel}/streams/current/end", null))
        {
            Assert.True(end.IsSuccessStatusCode, $"end answered {(int)end.StatusCode}");
        }
        await Eventually.UntilAsync(() => viewer.In(room).Any(e => e.Type == "stream.ended"), "stream.ended in the room");

        var events = viewer.In(room);
        Assert.Equal("First stream", events.First(e => e.Type == "stream.started").Data.GetProperty("title").GetString());
        Assert.True(events.First(e => e.Type == "stream.ended").Data.GetProperty("durationSeconds").GetInt64() >= 0);
        LiveClients.AssertExactly(events, 1, events.Count(e => e.Seq != LiveHubContract.EphemeralSeq));
    }
}
