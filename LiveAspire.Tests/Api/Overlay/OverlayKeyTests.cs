using LiveAspire.Contracts.Channels;
using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Overlay;

[Collection(ApiCollection.Name)]
public sealed class OverlayKeyTests(ApiFixture api)
{
    [Fact]
    public async Task RotatedKeyStopsWorkingAndItsTokensAreRejected()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var key = (await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys", Performer, null, HttpStatusCode.Created)).Deserialize<OverlayKeySecret>(Json)!;
        var token = await ExchangeAsync(w, key.Key);
        var claims = AccountsClient.Payload(token.AccessToken);
        Assert.Equal($"overlay:{key.Id}", claims.GetProperty("sub").GetString());
        Assert.Equal("overlay", claims.GetProperty("tuse").GetString());
        Assert.Equal(w.ChannelId.ToString(), claims.GetProperty("ch").GetString());
        Assert.Equal(key.Id.ToString(), claims.GetProperty("okid").GetString());
        Assert.False(claims.TryGetProperty("sv", out _));
        Assert.InRange(token.AccessTokenExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(16));

        // A valid overlay token authenticates but is no user: user endpoints refuse it (403), admin ones too.
        await (await w.SendAsync(HttpMethod.Get, "/api/me", token.AccessToken, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await w.SendAsync(HttpMethod.Get, "/api/me/follows", token.AccessToken, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys", token.AccessToken, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        var rotated = (await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys/{key.Id}/rotate", Performer, null, HttpStatusCode.Created)).Deserialize<OverlayKeySecret>(Json)!;
        Assert.Equal(key.Id, rotated.RotatedFrom);
        Assert.NotEqual(key.Key, rotated.Key);

        // The old key cannot be exchanged, and a token minted from it no longer authenticates at all (401, not 403).
        await (await w.SendAsync(HttpMethod.Post, "/api/overlay/token", Anonymous, new { key = key.Key })).AssertProblemAsync(HttpStatusCode.Unauthorized, "overlay_key_invalid");
        await (await w.SendAsync(HttpMethod.Get, "/api/me", token.AccessToken, null)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        var fresh = await ExchangeAsync(w, rotated.Key);
        await (await w.SendAsync(HttpMethod.Get, "/api/me", fresh.AccessToken, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        await w.ExpectAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys/{rotated.Id}/revoke", Performer, null, HttpStatusCode.NoContent);
        await (await w.SendAsync(HttpMethod.Get, "/api/me", fresh.AccessToken, null)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthenticated");
        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys/{rotated.Id}/revoke", Performer, null)).AssertProblemAsync(HttpStatusCode.Conflict, "overlay_key_inactive");

        var listed = await w.ExpectAsync(HttpMethod.Get, $"/api/channels/{w.ChannelId}/overlay-keys", Performer, null, HttpStatusCode.OK);
        Assert.All(listed.EnumerateArray(), k => Assert.False(k.GetProperty("active").GetBoolean()));
        Assert.DoesNotContain(key.Key, listed.GetRawText());
    }

    [Fact]
    public async Task MalformedOrUnknownKeysAreRefused()
    {
        var w = await ChannelWorld.CreateAsync(api);
        await (await w.SendAsync(HttpMethod.Post, "/api/overlay/token", Anonymous, new { key = "" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await w.SendAsync(HttpMethod.Post, "/api/overlay/token", Anonymous, new { key = "lao_" + new string('A', 43) })).AssertProblemAsync(HttpStatusCode.Unauthorized, "overlay_key_invalid");
        await (await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys/{Guid.NewGuid()}/revoke", Performer, null)).AssertProblemAsync(HttpStatusCode.NotFound, "overlay_key_not_found");
    }

    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static async Task<OverlayTokenResponse> ExchangeAsync(ChannelWorld w, string key)
    {
        using var response = await w.SendAsync(HttpMethod.Post, "/api/overlay/token", Anonymous, new { key });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OverlayTokenResponse>())!;
    }
}
