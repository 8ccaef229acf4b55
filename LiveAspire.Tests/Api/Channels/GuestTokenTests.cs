using LiveAspire.Contracts.Channels;
using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Channels;

/// <summary><c>POST /api/channels/{id}/guest-token</c> (docs/channels.md, "Guests").</summary>
[Collection(ApiCollection.Name)]
public sealed class GuestTokenTests(ApiFixture api)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task<GuestTokenResponse> IssueAsync(ChannelWorld w, Guid channel)
    {
        var body = await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{channel}/guest-token", Anonymous, null, HttpStatusCode.OK);
        return body.Deserialize<GuestTokenResponse>(Json)!;
    }

    [Fact]
    public async Task AGuestTokenNamesOneChannelAndAFreshGuestAndNoUser()
    {
        var w = await ChannelWorld.CreateAsync(api);

        var first = await IssueAsync(w, w.ChannelId);
        var second = await IssueAsync(w, w.ChannelId);

        var claims = AccountsClient.Payload(first.AccessToken);
        Assert.Equal(w.ChannelId, first.ChannelId);
        Assert.Equal("guest", claims.GetProperty("tuse").GetString());
        Assert.Equal(w.ChannelId.ToString("D"), claims.GetProperty("ch").GetString());
        var subject = claims.GetProperty("sub").GetString()!;
        Assert.StartsWith("guest:", subject, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(subject["guest:".Length..], out _), subject);
        Assert.NotEqual(subject, AccountsClient.Payload(second.AccessToken).GetProperty("sub").GetString());
        foreach (var userClaim in new[] { "sv", "role", "name", "okid" })
        {
            Assert.False(claims.TryGetProperty(userClaim, out _), $"a guest token carries {userClaim}");
        }
        // Auth:GuestTokenLifetime's default, which ApiFixture keeps.
        Assert.InRange(first.AccessTokenExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11));
        Assert.Equal(claims.GetProperty("exp").GetInt64(), first.AccessTokenExpiresAt.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task AGuestTokenIsRefusedByEveryUserEndpointAndStopsAuthenticatingOnceItsChannelClosesToGuests()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var token = (await IssueAsync(w, w.ChannelId)).AccessToken;

        await (await w.SendAsync(HttpMethod.Get, "/api/me", token, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await w.SendAsync(HttpMethod.Put, $"/api/channels/{w.ChannelId}/follow", token, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await w.SendAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}/roles/me", token, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        await w.ExpectAsync(HttpMethod.Patch, $"/api/channels/{w.ChannelId}", Performer, new { allowAnonymous = false }, HttpStatusCode.OK);

        // The validators' cache was updated after the commit: the token no longer authenticates at all (401, not 403).
        await (await w.SendAsync(HttpMethod.Get, "/api/me", token, null)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/guest-token", Anonymous, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "guests_not_allowed");

        await w.ExpectAsync(HttpMethod.Patch, $"/api/channels/{w.ChannelId}", Performer, new { allowAnonymous = true }, HttpStatusCode.OK);
        await (await w.SendAsync(HttpMethod.Get, "/api/me", token, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task AnUnknownChannelIs404AndAChannelWithoutAnonymousViewersIs403()
    {
        var w = await ChannelWorld.CreateAsync(api);
        await w.ExpectAsync(HttpMethod.Patch, $"/api/channels/{w.OtherChannelId}", OtherPerformer, new { allowAnonymous = false }, HttpStatusCode.OK);

        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{Guid.NewGuid()}/guest-token", Anonymous, null)).AssertProblemAsync(HttpStatusCode.NotFound, "channel_not_found");
        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.OtherChannelId}/guest-token", Anonymous, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "guests_not_allowed");
    }
}
