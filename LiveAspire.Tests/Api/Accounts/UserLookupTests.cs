using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Channels;
using LiveAspire.Contracts.Errors;
using LiveAspire.Contracts.Paging;

namespace LiveAspire.Tests.Api.Accounts;

/// <summary>
/// Finding users (docs/accounts.md): an admin's search by username prefix or email (<c>GET /api/admin/users?q=</c>),
/// and the exact-name lookup any signed-in user makes to appoint a moderator (<c>GET /api/users/by-name/{username}</c>).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class UserLookupTests(AppHostFixture system)
{
    private const string ClientAddress = "127.0.2.2";

    /// <summary>Registrations are limited per client address (5 in 10 minutes): each test registers from one of its own.</summary>
    private const string SearchRegistrations = "127.0.2.3", LookupRegistrations = "127.0.2.4";

    /// <summary>Accounts registered through Api (mixed-case names, real addresses) sharing one random tag.</summary>
    private async Task<(string Tag, Dictionary<string, (Guid Id, TestAccount Account)> Users)> RegisterTaggedAsync(string from, params string[] names)
    {
        var tag = $"S{Guid.NewGuid():N}"[..9];
        using var api = SystemApi.Client(system, from);
        var users = new Dictionary<string, (Guid, TestAccount)>();
        foreach (var name in names)
        {
            var account = new TestAccount($"{tag}{name}", $"{tag}.{name}@Example.test".ToLowerInvariant(), $"pw-{Guid.NewGuid():N}");
            users[name] = (await api.RegisterAsync(account), account);
        }
        return (tag, users);
    }

    private static async Task<KeysetPage<AdminUser>> SearchAsync(HttpClient admin, string query)
    {
        using var response = await admin.GetAsync($"/api/admin/users?{query}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"search {query}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<KeysetPage<AdminUser>>(body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    [Fact]
    public async Task AnAdminFindsUsersByUsernamePrefixOrEmailRegardlessOfCasePageByPage()
    {
        // "_Alpha", "_beta", "_Gamma" start with "{tag}_"; "Xbeta" would match too if "_" were a wildcard.
        var (tag, users) = await RegisterTaggedAsync(SearchRegistrations, "_Alpha", "_beta", "_Gamma", "Xbeta");
        var (_, adminToken) = await SystemApi.NewAdminAsync(system);
        using var admin = SystemApi.Client(system, ClientAddress, adminToken);
        using (var ban = await admin.PostAsync($"/api/admin/users/{users["_beta"].Id}/ban", new { reason = "search test" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, ban.StatusCode);
        }

        var first = await SearchAsync(admin, $"q={tag.ToUpperInvariant()}_&limit=2");
        var second = await SearchAsync(admin, $"q={tag.ToUpperInvariant()}_&limit=2&after={first.Next}");

        Assert.Equal([$"{tag}_Alpha", $"{tag}_beta"], first.Items.Select(u => u.Username));
        Assert.Equal($"{tag}_beta".ToLowerInvariant(), first.Next);
        Assert.Equal([$"{tag}_Gamma"], second.Items.Select(u => u.Username));
        Assert.Null(second.Next);
        var beta = first.Items[1];
        Assert.Equal(users["_beta"].Id, beta.Id);
        Assert.Equal(users["_beta"].Account.Email, beta.Email);
        Assert.Equal("user", beta.Role);
        Assert.True(beta.Banned);
        Assert.False(first.Items[0].Banned);
        Assert.True(DateTimeOffset.UtcNow - beta.CreatedAt < TimeSpan.FromMinutes(10), $"created {beta.CreatedAt}");

        // By address: the whole one in capitals, and a prefix of it.
        var byEmail = await SearchAsync(admin, $"q={Uri.EscapeDataString(users["Xbeta"].Account.Email.ToUpperInvariant())}");
        Assert.Equal([users["Xbeta"].Id], byEmail.Items.Select(u => u.Id));
        var byEmailPrefix = await SearchAsync(admin, $"q={Uri.EscapeDataString($"{tag}.".ToUpperInvariant())}&limit=100");
        Assert.Equal(users.Values.Select(u => u.Id).Order(), byEmailPrefix.Items.Select(u => u.Id).Order());
        Assert.Empty((await SearchAsync(admin, $"q={tag}_Alphaz")).Items);
    }

    public static TheoryData<string, string> BadSearches() => new()
    {
        { "", "q" },
        { "q=", "q" },
        { "q=%20%20", "q" },
        { $"q={new string('a', 255)}", "q" },
        { "q=ab%01c", "q" },
        { "q=a%E2%80%AEb", "q" },
        { "q=abc&limit=0", "limit" },
        { "q=abc&limit=101", "limit" },
        { "q=abc&after=Not-A-Name", "after" },
        { "q=abc&after=UPPER", "after" },
    };

    [Theory]
    [MemberData(nameof(BadSearches))]
    public async Task TheUserSearchRefusesAMissingEmptyOrOverlongQueryAndBadPaging(string query, string field)
    {
        var (_, adminToken) = await SystemApi.NewAdminAsync(system);
        using var admin = SystemApi.Client(system, ClientAddress, adminToken);

        using var response = await admin.GetAsync($"/api/admin/users?{query}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"errors name {field}: {errors}");
    }

    [Fact]
    public async Task OnlyAdminsMaySearchUsers()
    {
        var user = await SystemTokens.NewUserAsync(system);
        using var anonymous = SystemApi.Client(system, ClientAddress);
        using var signedIn = SystemApi.Client(system, ClientAddress, SystemTokens.Mint(system, user));

        using var noToken = await anonymous.GetAsync("/api/admin/users?q=admin");
        using var notAdmin = await signedIn.GetAsync("/api/admin/users?q=admin");

        await noToken.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        await notAdmin.AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.Forbidden);
    }

    [Fact]
    public async Task ASignedInPerformerFindsAUserByExactNameWithoutTheirAddressAndAppointsThemModerator()
    {
        var (tag, users) = await RegisterTaggedAsync(LookupRegistrations, "_Mixed_Case");
        var (id, account) = users["_Mixed_Case"];
        var channel = await SystemApi.NewLiveChannelAsync(system, ClientAddress);
        using var performer = SystemApi.Client(system, ClientAddress, SystemTokens.Mint(system, channel.OwnerId!.Value));

        using var found = await performer.GetAsync($"/api/users/by-name/{account.Username.ToLowerInvariant()}");
        var text = await found.Content.ReadAsStringAsync();
        Assert.True(found.StatusCode == HttpStatusCode.OK, $"{(int)found.StatusCode} {text}");
        Assert.Equal(new PublicUser(id, account.Username), JsonSerializer.Deserialize<PublicUser>(text, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        Assert.Equal(["id", "username"], JsonDocument.Parse(text).RootElement.EnumerateObject().Select(p => p.Name));
        using (var appoint = await performer.PutAsync($"/api/channels/{channel.Id:D}/moderators/{id:D}", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, appoint.StatusCode);
        }

        // Exact names only: a prefix, a name nobody has, and one no user can have are all "no such user".
        foreach (var missing in new[] { $"{tag}_Mixed", $"{tag}_Nobody", "not%20a%20name" })
        {
            using var response = await performer.GetAsync($"/api/users/by-name/{missing}");
            await response.AssertProblemAsync(HttpStatusCode.NotFound, ApiErrorCodes.UserNotFound);
        }
        using var anonymous = SystemApi.Client(system, ClientAddress);
        using var noToken = await anonymous.GetAsync($"/api/users/by-name/{account.Username}");
        await noToken.AssertProblemAsync(HttpStatusCode.Unauthorized, ApiErrorCodes.Unauthenticated);
        using var guestToken = await anonymous.PostAsync($"/api/channels/{channel.Id:D}/guest-token", null);
        Assert.Equal(HttpStatusCode.OK, guestToken.StatusCode);
        using var asGuest = SystemApi.Client(system, ClientAddress, (await guestToken.Content.ReadFromJsonAsync<GuestTokenResponse>())!.AccessToken);
        using var guestAnswer = await asGuest.GetAsync($"/api/users/by-name/{account.Username}");
        await guestAnswer.AssertProblemAsync(HttpStatusCode.Forbidden, ApiErrorCodes.Forbidden);
    }
}
