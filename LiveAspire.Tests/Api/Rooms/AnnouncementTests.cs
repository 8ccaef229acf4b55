using System.Net.Http.Headers;
using System.Text;
using LiveAspire.Contracts.Announcements;
using LiveAspire.Contracts.Errors;
using LiveAspire.Contracts.Realtime;
using LiveAspire.Rooms;

namespace LiveAspire.Tests.Api.Rooms;

/// <summary>
/// <c>POST /api/admin/announcements</c> (docs/channels.md, "Announcements"): into every live channel's room or one
/// named room, each room getting it exactly once however often the admin's request is sent again.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class AnnouncementTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private const string ClientAddress = "127.0.2.5";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private async Task<HttpClient> AdminAsync() => SystemApi.Client(System, ClientAddress, (await SystemApi.NewAdminAsync(System)).Token);

    /// <summary>The announcements in the room's hot window.</summary>
    private async Task<List<EventEnvelope>> AnnouncementsInAsync(string room)
        => [.. (await Rooms.History.ReadAsync(room, 0)).Envelopes
            .Select(e => JsonSerializer.Deserialize<EventEnvelope>(e, Json)!)
            .Where(e => e.Type == EventTypes.SystemAnnouncement)];

    private static async Task<AnnouncementResponse> AnnouncedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"announce: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<AnnouncementResponse>(body, Json)!;
    }

    private static string StreamRoom(Guid channel) => RoomName.Stream(channel).ToString();

    [Fact]
    public async Task AnAnnouncementToEveryLiveRoomLandsOnceInEachAndARetryAddsNothing()
    {
        var a = StreamRoom((await SystemApi.NewLiveChannelAsync(System, ClientAddress)).Id);
        var b = StreamRoom((await SystemApi.NewLiveChannelAsync(System, ClientAddress)).Id);
        using var admin = await AdminAsync();
        var request = new AnnouncementRequest(Guid.NewGuid().ToString(), "  Maintenance at noon  ", null);

        using var first = await admin.PostAsJsonAsync("/api/admin/announcements", request);
        var firstAnswer = await AnnouncedAsync(first);
        using var retry = await admin.PostAsJsonAsync("/api/admin/announcements", request); // the answer "was lost"
        var retryAnswer = await AnnouncedAsync(retry);

        Assert.Equal(request.AnnouncementId, firstAnswer.AnnouncementId);
        foreach (var room in new[] { a, b })
        {
            var landed = Assert.Single(await AnnouncementsInAsync(room));
            Assert.Equal(new SystemAnnouncement("Maintenance at noon"), landed.Data.Deserialize<SystemAnnouncement>(Json));
            var once = Assert.Single(firstAnswer.Rooms, r => r.Room == room);
            var again = Assert.Single(retryAnswer.Rooms, r => r.Room == room);
            Assert.False(once.Duplicate);
            Assert.Equal(landed.Seq, once.Seq);
            Assert.Equal(landed.Id, once.Id);
            Assert.Equal(once with { Duplicate = true }, again);
        }
        Assert.NotEqual(firstAnswer.Rooms.Single(r => r.Room == a).Id, firstAnswer.Rooms.Single(r => r.Room == b).Id);
        Assert.All(retryAnswer.Rooms, r => Assert.True(r.Duplicate, $"{r.Room} got the announcement again"));
    }

    [Fact]
    public async Task AnAnnouncementIntoOneRoomReachesThatRoomOnly()
    {
        var a = StreamRoom((await SystemApi.NewLiveChannelAsync(System, ClientAddress)).Id);
        var b = StreamRoom((await SystemApi.NewLiveChannelAsync(System, ClientAddress)).Id);
        var user = RoomName.User(Guid.NewGuid()).ToString();
        using var admin = await AdminAsync();

        var toA = await AnnouncedAsync(await admin.PostAsJsonAsync("/api/admin/announcements", new AnnouncementRequest(Guid.NewGuid().ToString(), "only a", a)));
        var toUser = await AnnouncedAsync(await admin.PostAsJsonAsync("/api/admin/announcements", new AnnouncementRequest(Guid.NewGuid().ToString(), "only you", user)));

        Assert.Equal([a], toA.Rooms.Select(r => r.Room));
        Assert.Equal([user], toUser.Rooms.Select(r => r.Room));
        Assert.Single(await AnnouncementsInAsync(a));
        Assert.Single(await AnnouncementsInAsync(user));
        Assert.Empty(await AnnouncementsInAsync(b));
    }

    [Fact]
    public async Task WhenRedisFailsPartWayTheAnswerNamesTheRoomsLeftAndTheSameRequestFinishesWithoutRepeats()
    {
        var a = StreamRoom((await SystemApi.NewLiveChannelAsync(System, ClientAddress)).Id);
        var b = StreamRoom((await SystemApi.NewLiveChannelAsync(System, ClientAddress)).Id);
        using var admin = await AdminAsync();
        var request = new AnnouncementRequest(Guid.NewGuid().ToString(), "partial", null);
        var redis = System.Part("redis");

        HttpResponseMessage partial;
        AnnouncedRoom reachedA;
        using (var hook = await WaitingFaultHook.ArmAsync(System.FaultDirectory, "announcement-before-publish", b))
        {
            var sending = admin.PostAsJsonAsync("/api/admin/announcements", request);
            await hook.ReachedAsync($"the announcement held before {b}");
            // The other rooms go on meanwhile: a has it before Redis freezes, b (held) meets a frozen Redis.
            await Eventually.UntilAsync(async () => (await AnnouncementsInAsync(a)).Count == 1, $"the announcement in {a}");
            redis.Pause();
            try
            {
                await hook.ReleaseAsync();
                partial = await sending;
            }
            finally
            {
                redis.Continue();
            }
        }
        using (partial)
        {
            await partial.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ApiErrorCodes.RedisUnavailable);
            var problem = await partial.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(RoomStoreUnavailableException.RetryAfterMs, problem.GetProperty("retryAfterMs").GetInt32());
            Assert.Equal(request.AnnouncementId, problem.GetProperty("announcementId").GetString());
            Assert.Contains(b, problem.GetProperty("failedRooms").EnumerateArray().Select(r => r.GetString()));
            var reached = problem.GetProperty("rooms").Deserialize<List<AnnouncedRoom>>(Json)!;
            reachedA = Assert.Single(reached, r => r.Room == a);
            Assert.False(reachedA.Duplicate);
            Assert.DoesNotContain(reached, r => r.Room == b);
        }
        Assert.Equal(reachedA.Seq, Assert.Single(await AnnouncementsInAsync(a)).Seq);
        // b's publish, given up on after 1 s, may still have been run by Redis when it woke (docs/realtime.md, "Redis
        // faults"): the retry below must then find it there rather than add it again.

        // The same request again, as the answer says: it finishes the job (once Redis answers again).
        var finished = await Eventually.GetAsync(async () =>
        {
            using var response = await admin.PostAsJsonAsync("/api/admin/announcements", request);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await AnnouncedAsync(response);
            }
            await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ApiErrorCodes.RedisUnavailable);
            return null;
        }, r => r is not null, "the retried announcement to be in every room");

        Assert.Equal(reachedA with { Duplicate = true }, finished.Rooms.Single(r => r.Room == a));
        Assert.Single(await AnnouncementsInAsync(a));
        Assert.Equal(finished.Rooms.Single(r => r.Room == b).Seq, Assert.Single(await AnnouncementsInAsync(b)).Seq);
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { """{"announcementId":"@id","text":""}""", "text" },
        { """{"announcementId":"@id","text":"   "}""", "text" },
        { """{"announcementId":"@id"}""", "text" },
        { $$"""{"announcementId":"@id","text":"{{new string('x', 501)}}"}""", "text" },
        { """{"announcementId":"@id","text":"two\nlines"}""", "text" },
        { """{"announcementId":"@id","text":"bell\u0007"}""", "text" },
        { """{"announcementId":"@id","text":"\ud800 lone"}""", "" }, // System.Text.Json refuses to read it: the body as a whole is refused
        { """{"text":"no key"}""", "announcementId" },
        { """{"announcementId":"","text":"empty key"}""", "announcementId" },
        { """{"announcementId":"a b","text":"space in key"}""", "announcementId" },
        { $$"""{"announcementId":"{{new string('k', 65)}}","text":"long key"}""", "announcementId" },
        { """{"announcementId":"@id","text":"bad room","room":"stream:NOT-A-ROOM"}""", "room" },
        { """{"announcementId":"@id","text":"bad room","room":""}""", "room" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ABadAnnouncementIsRefusedNamingTheFieldAndPublishesNothing(string body, string field)
    {
        var room = StreamRoom((await SystemApi.NewLiveChannelAsync(System, ClientAddress)).Id);
        using var admin = await AdminAsync();
        // Aimed at the new channel's room where the body names none, so nothing published anywhere would go unseen.
        var json = body.Replace("@id", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        if (!json.Contains("\"room\"", StringComparison.Ordinal))
        {
            json = json[..^1] + $",\"room\":\"{room}\"}}";
        }

        using var response = await admin.PostAsync("/api/admin/announcements", new StringContent(json, Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
        if (field.Length > 0)
        {
            var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out _), $"errors name {field}: {errors}");
        }
        Assert.Empty(await AnnouncementsInAsync(room));
    }

    [Fact]
    public async Task OnlyAdminsMayAnnounce()
    {
        var room = StreamRoom((await SystemApi.NewLiveChannelAsync(System, ClientAddress)).Id);
        var user = await SystemTokens.NewUserAsync(System);
        using var anonymous = SystemApi.Client(System, ClientAddress);
        using var signedIn = SystemApi.Client(System, ClientAddress, SystemTokens.Mint(System, user));
        var request = new AnnouncementRequest(Guid.NewGuid().ToString(), "not yours to say", room);

        using var noToken = await anonymous.PostAsJsonAsync("/api/admin/announcements", request);
        using var notAdmin = await signedIn.PostAsJsonAsync("/api/admin/announcements", request);

        await noToken.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        await notAdmin.AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.Forbidden);
        Assert.Empty(await AnnouncementsInAsync(room));
    }
}
