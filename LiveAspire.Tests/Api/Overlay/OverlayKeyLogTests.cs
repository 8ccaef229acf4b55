using LiveAspire.Contracts.Channels;
using static LiveAspire.Tests.Harness.Actor;

namespace LiveAspire.Tests.Api.Overlay;

[Collection(ApiCollection.Name)]
public sealed class OverlayKeyLogTests(ApiFixture api)
{
    [Fact]
    public async Task NoApiLogLineContainsAnOverlayKeyOrOverlayToken()
    {
        var w = await ChannelWorld.CreateAsync(api);
        using var created = await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys", Performer, null);
        var key = (await created.Content.ReadFromJsonAsync<OverlayKeySecret>())!;
        using var exchanged = await w.SendAsync(HttpMethod.Post, "/api/overlay/token", Anonymous, new { key = key.Key });
        var token = (await exchanged.Content.ReadFromJsonAsync<OverlayTokenResponse>())!;
        using var rotated = await w.SendAsync(HttpMethod.Post, $"/api/channels/{w.ChannelId}/overlay-keys/{key.Id}/rotate", Performer, null);
        var next = (await rotated.Content.ReadFromJsonAsync<OverlayKeySecret>())!;
        using var refused = await w.SendAsync(HttpMethod.Post, "/api/overlay/token", Anonymous, new { key = key.Key });
        using var rejected = await w.SendAsync(HttpMethod.Get, "/api/me", token.AccessToken, null); // logs a rejected token

        var marker = $"canary-{Guid.NewGuid():N}";
        using var _ = await w.SendAsync(HttpMethod.Get, $"/api/me/{marker}", "rejected-token", null);
        IReadOnlyList<string> log = [];
        await Eventually.UntilAsync(async () => (log = await api.LogLinesAsync()).Any(l => l.Contains(marker, StringComparison.Ordinal)),
            "the api's log to show the marker request", TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        var lines = log;
        Assert.Contains(lines, l => l.Contains(key.Id.ToString(), StringComparison.Ordinal)); // the revocation is logged, by id
        foreach (var canary in new[] { key.Key, next.Key, token.AccessToken, key.Key["lao_".Length..] })
        {
            var leak = lines.FirstOrDefault(l => l.Contains(canary, StringComparison.Ordinal));
            Assert.True(leak is null, $"a log line contains an overlay secret: {leak?[..Math.Min(200, leak.Length)]}");
        }
    }
}
