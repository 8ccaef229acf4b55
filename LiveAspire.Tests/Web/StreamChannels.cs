using System.Net.Http.Headers;
using LiveAspire.Contracts.Channels;

namespace LiveAspire.Tests.Web;

/// <summary>A new performer's channel on the running system, and its broadcast driven through Api as the performer.</summary>
public sealed record StreamChannel(Guid Id, string Slug, string OwnerToken)
{
    private HttpClient Api(SystemFixture system)
    {
        var api = system.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OwnerToken);
        return api;
    }

    /// <summary>Goes live (<c>POST /api/channels/{id}/streams</c>): <c>stream.started</c> in <c>stream:{id}</c>.</summary>
    public async Task GoLiveAsync(SystemFixture system, string title)
    {
        using var api = Api(system);
        using var response = await api.PostAsJsonAsync($"/api/channels/{Id:D}/streams", new StartStreamRequest(title, "Testing"));
        Assert.True(response.IsSuccessStatusCode, $"go live: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Retitles the live broadcast: <c>stream.updated</c>.</summary>
    public async Task RetitleAsync(SystemFixture system, string title, string? category = null)
    {
        using var api = Api(system);
        using var response = await api.PatchAsJsonAsync($"/api/channels/{Id:D}/streams/current", new UpdateStreamRequest(title, category));
        Assert.True(response.IsSuccessStatusCode, $"retitle: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Ends the broadcast: <c>stream.ended</c>.</summary>
    public async Task EndAsync(SystemFixture system)
    {
        using var api = Api(system);
        using var response = await api.PostAsync($"/api/channels/{Id:D}/streams/current/end", null);
        Assert.True(response.IsSuccessStatusCode, $"end: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

public static class StreamChannels
{
    /// <summary>A channel of a new performer (token minted with the system's key), offline.</summary>
    public static async Task<StreamChannel> CreateAsync(SystemFixture system, string displayName, bool allowAnonymous = true,
        string title = "First title", string description = "")
    {
        var owner = await SystemTokens.NewUserAsync(system);
        var token = SystemTokens.Mint(system, owner);
        var slug = $"s{Guid.NewGuid():N}"[..16];
        using var api = system.CreateHttpClient("api");
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await api.PostAsJsonAsync("/api/channels",
            new CreateChannelRequest(slug, displayName, title, "Testing", description, null, null, allowAnonymous));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create channel: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return new StreamChannel((await response.Content.ReadFromJsonAsync<ChannelDto>())!.Id, slug, token);
    }
}
