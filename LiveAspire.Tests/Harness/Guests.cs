using System.Net.Http.Headers;
using LiveAspire.Contracts.Channels;

namespace LiveAspire.Tests.Harness;

/// <summary>
/// Channels and guest tokens on a running system, through Api as a browser would get them: a channel created by a new
/// performer (its token minted with the system's key), and <c>POST /api/channels/{id}/guest-token</c>.
/// </summary>
public static class Guests
{
    /// <summary>A new performer's channel; <paramref name="allowAnonymous"/> is its <c>allowAnonymous</c>.</summary>
    public static async Task<(string OwnerToken, Guid Channel)> NewChannelAsync(SystemFixture system, bool allowAnonymous = true)
    {
        var owner = await SystemTokens.NewUserAsync(system);
        var token = SystemTokens.Mint(system, owner);
        using var api = Api(system, token);
        var slug = $"g{Guid.NewGuid():N}"[..16];
        using var response = await api.PostAsJsonAsync("/api/channels",
            new CreateChannelRequest(slug, "Guest Test", "testing", "", "", null, null, allowAnonymous));
        Assert.True(response.IsSuccessStatusCode, $"create channel answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (token, (await response.Content.ReadFromJsonAsync<ChannelDto>())!.Id);
    }

    /// <summary>Asks for a guest token of <paramref name="channel"/> (anonymously); the answer as it came.</summary>
    public static async Task<HttpResponseMessage> RequestTokenAsync(SystemFixture system, Guid channel)
    {
        using var api = Api(system);
        return await api.PostAsync($"/api/channels/{channel:D}/guest-token", null);
    }

    /// <summary>A guest token of <paramref name="channel"/>, which must be issued.</summary>
    public static async Task<GuestTokenResponse> TokenAsync(SystemFixture system, Guid channel)
    {
        using var response = await RequestTokenAsync(system, channel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"guest-token answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<GuestTokenResponse>())!;
    }

    /// <summary>Changes the channel's <c>allowAnonymous</c> as its performer.</summary>
    public static async Task SetAllowAnonymousAsync(SystemFixture system, string ownerToken, Guid channel, bool allowAnonymous)
    {
        using var api = Api(system, ownerToken);
        using var response = await api.PatchAsJsonAsync($"/api/channels/{channel:D}", new { allowAnonymous });
        Assert.True(response.IsSuccessStatusCode, $"PATCH answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An Api client of the system, with <paramref name="token"/> as its bearer token when given.</summary>
    public static HttpClient Api(SystemFixture system, string? token = null)
    {
        var api = system.CreateHttpClient("api");
        if (token is not null)
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return api;
    }
}
