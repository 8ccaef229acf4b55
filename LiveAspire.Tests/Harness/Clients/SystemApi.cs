using System.Net.Http.Headers;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Channels;

namespace LiveAspire.Tests.Harness.Clients;

/// <summary>
/// Api of a running system as one test's own client: requests from a client address the test picks
/// (<see cref="ClientAddress"/>), so per-address limits of different tests never collide, straight to Api's own
/// address (Aspire's proxy would make every request come from its address). Users are seeded and their tokens minted
/// with the system's key (<see cref="SystemTokens"/>).
/// </summary>
public static class SystemApi
{
    /// <summary>A client of Api from <paramref name="clientAddress"/> (in 127.0.0.0/8), with <paramref name="token"/> as its bearer token when given.</summary>
    public static HttpClient Client(SystemFixture system, string clientAddress, string? token = null)
    {
        var api = new HttpClient(ClientAddress.Handler(clientAddress)) { BaseAddress = system.Part("api").Url, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return api;
    }

    /// <summary>A new user made an admin in PostgreSQL, and an admin token of theirs.</summary>
    public static async Task<(Guid UserId, string Token)> NewAdminAsync(SystemFixture system)
    {
        var admin = await SystemTokens.NewUserAsync(system);
        await using (var db = Npgsql.NpgsqlDataSource.Create(system.ConnectionString("livedb")))
        await using (var promote = db.CreateCommand("UPDATE users SET global_role = 'admin' WHERE id = $1"))
        {
            promote.Parameters.AddWithValue(admin);
            Assert.Equal(1, await promote.ExecuteNonQueryAsync());
        }
        return (admin, SystemTokens.Mint(system, admin, role: GlobalRoles.Admin));
    }

    /// <summary>A new performer's channel, live (an open broadcast), created through Api from <paramref name="clientAddress"/>.</summary>
    public static async Task<ChannelDto> NewLiveChannelAsync(SystemFixture system, string clientAddress)
    {
        var performer = await SystemTokens.NewUserAsync(system);
        using var api = Client(system, clientAddress, SystemTokens.Mint(system, performer));
        var slug = $"v{Guid.NewGuid():N}"[..20];
        using var created = await api.PostAsJsonAsync("/api/channels", new { slug, displayName = $"Channel {slug}", title = "live test" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"create channel answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        var channel = (await created.Content.ReadFromJsonAsync<ChannelDto>())!;
        using var live = await api.PostAsJsonAsync($"/api/channels/{channel.Id:D}/streams", new { title = "live test" });
        Assert.True(live.StatusCode == HttpStatusCode.Created, $"go live answered {(int)live.StatusCode}: {await live.Content.ReadAsStringAsync()}");
        return channel;
    }
}
