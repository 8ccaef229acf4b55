using System.Net.Http.Headers;
using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Emotes;

[Collection(ApiCollection.Name)]
public sealed class EmoteTests(ApiFixture api)
{
    [Fact]
    public async Task ImagesAreServedCacheableAndRevalidateWith304()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var gif = "GIF89a"u8.ToArray().Concat(new byte[] { 1, 0, 1, 0, 0, 0, 0 }).ToArray();
        using var upload = await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/emotes?code=Wave", w.Token(Performer), ChannelWorld.Image(gif, "image/png"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var emote = System.Text.Json.JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("image/gif", emote.GetProperty("contentType").GetString());
        var url = emote.GetProperty("imageUrl").GetString()!;

        using var image = await w.SendAsync(HttpMethod.Get, url, Anonymous, null);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/gif", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(gif, await image.Content.ReadAsByteArrayAsync());
        Assert.True(image.Headers.CacheControl!.Public);
        Assert.True(image.Headers.CacheControl.MaxAge >= TimeSpan.FromDays(1));
        var etag = image.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal($"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(gif))}\"", etag.Tag);

        var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await w.Http.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, notModified.Headers.ETag);

        var other = new HttpRequestMessage(HttpMethod.Get, url);
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));
        using var full = await w.Http.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);

        // Same code in the same channel: conflict; in the global scope it is free.
        using var again = await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/emotes?code=Wave", w.Token(Performer), ChannelWorld.Image(ChannelWorld.Png));
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "emote_code_taken");
    }

    [Fact]
    public async Task ImagesAreCheckedByTheirBytesAndSizeAndRejectedOnesAreNotStored()
    {
        var w = await ChannelWorld.CreateAsync(api);
        var svg = "<svg xmlns='http://www.w3.org/2000/svg'/>"u8.ToArray();
        var tooBig = ChannelWorld.Png.Concat(new byte[256 * 1024]).ToArray();
        foreach (var (code, body) in new[] { ("Svg", svg), ("Big", tooBig), ("Empty", Array.Empty<byte>()), ("1bad", ChannelWorld.Png) })
        {
            using var response = await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/emotes?code={code}", w.Token(Performer), ChannelWorld.Image(body));
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        }
        var webp = "RIFF"u8.ToArray().Concat(new byte[] { 4, 0, 0, 0 }).Concat("WEBPVP8 "u8.ToArray()).ToArray();
        using var ok = await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/emotes?code=Ok", w.Token(Performer), ChannelWorld.Image(webp));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(1L, await api.ScalarAsync("SELECT count(*) FROM emotes WHERE channel_id = $1", w.ChannelId));
        await (await w.SendAsync(HttpMethod.Get, $"/api/emotes/{Guid.NewGuid()}/image", Anonymous, null)).AssertProblemAsync(HttpStatusCode.NotFound, "emote_not_found");
    }
}
