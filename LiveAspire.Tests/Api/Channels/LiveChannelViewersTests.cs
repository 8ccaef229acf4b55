using System.Diagnostics;
using LiveAspire.Contracts.Channels;
using LiveAspire.Contracts.Paging;
using LiveAspire.Contracts.Realtime;

namespace LiveAspire.Tests.Api.Channels;

/// <summary>
/// <c>GET /api/channels/live</c> carries each live channel's viewer counts, read from the presence both Realtime
/// replicas keep in Redis (docs/channels.md, "Viewer counts"), and answers without them while Redis does not.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class LiveChannelViewersTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private const string ClientAddress = "127.0.2.1";

    /// <summary>The channel's entry in the listing, paging through every live channel of the shared system.</summary>
    private static async Task<LiveChannel?> ListedAsync(HttpClient api, Guid channel)
    {
        string? after = null;
        do
        {
            var page = (await api.GetFromJsonAsync<KeysetPage<LiveChannel>>(
                after is null ? "/api/channels/live?limit=100" : $"/api/channels/live?limit=100&after={after}"))!;
            if (page.Items.FirstOrDefault(c => c.Id == channel) is { } found)
            {
                return found;
            }
            after = page.Next;
        }
        while (after is not null);
        return null;
    }

    private static Task WaitForViewersAsync(HttpClient api, Guid channel, PresenceCount expected) =>
        Eventually.GetAsync(() => ListedAsync(api, channel), c => c?.Viewers == expected,
            $"the listing to show channel {channel} with viewers {expected}");

    [Fact]
    public async Task TheLiveListingCountsViewersConnectedToEitherReplica()
    {
        var channel = await SystemApi.NewLiveChannelAsync(System, ClientAddress);
        var room = $"stream:{channel.Id:D}";
        using var api = SystemApi.Client(System, ClientAddress);
        await WaitForViewersAsync(api, channel.Id, new PresenceCount(0, 0));

        var users = await SystemTokens.NewUsersAsync(System, 2);
        var (alice, bob) = (users[0], users[1]);
        await using var alice0 = await ConnectAsync(Replica(0), alice);
        await using var alice1 = await ConnectAsync(Replica(1), alice); // one user on both replicas: one user, two connections
        var bob1 = await ConnectAsync(Replica(1), bob);
        using var guestToken = await api.PostAsync($"/api/channels/{channel.Id:D}/guest-token", null);
        Assert.Equal(HttpStatusCode.OK, guestToken.StatusCode);
        var guestAccess = (await guestToken.Content.ReadFromJsonAsync<GuestTokenResponse>())!.AccessToken;
        await using var guest0 = await LiveClients.ConnectAsync(Replica(0), () => guestAccess); // a connection, no user
        try
        {
            foreach (var client in new[] { alice0, alice1, bob1, guest0 })
            {
                Assert.Null((await client.Client.JoinAsync([room]))[room].Error);
            }

            await WaitForViewersAsync(api, channel.Id, new PresenceCount(2, 4));

            await bob1.DisposeAsync();
            await WaitForViewersAsync(api, channel.Id, new PresenceCount(1, 3));
        }
        finally
        {
            await bob1.DisposeAsync();
        }
    }

    [Fact]
    public async Task WhileRedisIsFrozenTheLiveListingIsAnsweredWithoutViewerCounts()
    {
        var channel = await SystemApi.NewLiveChannelAsync(System, ClientAddress);
        using var api = SystemApi.Client(System, ClientAddress);
        await using var viewer = await ConnectAsync(Replica(0));
        Assert.Null((await viewer.Client.JoinAsync([$"stream:{channel.Id:D}"]))[$"stream:{channel.Id:D}"].Error);
        await WaitForViewersAsync(api, channel.Id, new PresenceCount(1, 1));

        var redis = System.Part("redis");
        redis.Pause();
        try
        {
            var asking = Stopwatch.StartNew();
            using var response = await api.GetAsync("/api/channels/live?limit=100");
            asking.Stop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<KeysetPage<LiveChannel>>())!;
            Assert.NotEmpty(page.Items);
            Assert.All(page.Items, c => Assert.Null(c.Viewers));
            // Answered within the request bound on Redis (1 s), long before the pause would end a hung call.
            Assert.True(asking.Elapsed < TimeSpan.FromSeconds(5), $"the listing took {asking.Elapsed} while Redis was frozen");
            var json = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"viewers\":null", json, StringComparison.Ordinal);
        }
        finally
        {
            redis.Continue();
        }
        await WaitForViewersAsync(api, channel.Id, new PresenceCount(1, 1));
    }
}
