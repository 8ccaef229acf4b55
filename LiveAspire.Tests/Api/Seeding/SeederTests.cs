using LiveAspire.Api.Accounts;
using LiveAspire.Api.Seeding;
using LiveAspire.Contracts.Accounts;

namespace LiveAspire.Tests.Api.Seeding;

[Collection(ApiCollection.Name)]
public sealed class SeederTests(ApiFixture api)
{
    [Fact]
    public async Task SeederCreatesTheUsersAndTheirTokensWorkOnMe()
    {
        const int count = 200;
        var prefix = $"s{Guid.NewGuid():N}"[..10] + "_";
        await using var dataSource = api.CreateDataSource();
        var issuer = new AccessTokenIssuer(api.SigningKeyPem, TimeSpan.FromMinutes(15));

        var seeded = await UserSeeder.SeedAsync(dataSource, issuer, count, prefix).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(count, seeded.Count);
        Assert.Equal(count, seeded.Select(s => s.Username).Distinct().Count());
        Assert.Equal(count, await api.ScalarAsync("SELECT count(*) FROM users WHERE username_normalized LIKE $1 || '%'", prefix));
        using var http = api.CreateClient();
        foreach (var user in new[] { seeded[0], seeded[count / 2], seeded[^1] })
        {
            using var me = await http.GetMeAsync(user.AccessToken);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal(user.UserId, (await me.Content.ReadFromJsonAsync<MeResponse>())!.Id);
        }
        var login = await http.LoginAsync(seeded[1].Username, UserSeeder.DefaultPassword);
        Assert.Equal(seeded[1].UserId, login.User.Id);
    }

    [Fact]
    public async Task SeederRefusesAPrefixThatCannotFormAUsername()
    {
        await using var dataSource = api.CreateDataSource();
        var issuer = new AccessTokenIssuer(api.SigningKeyPem, TimeSpan.FromMinutes(15));

        await Assert.ThrowsAsync<ArgumentException>(() => UserSeeder.SeedAsync(dataSource, issuer, 10, "Bad Prefix"));
    }
}
