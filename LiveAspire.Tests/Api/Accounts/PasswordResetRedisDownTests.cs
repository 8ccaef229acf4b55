using LiveAspire.Api;
using LiveAspire.Api.Accounts;
using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Api.Accounts;

/// <summary>
/// Api built in this process on the fixture's PostgreSQL but with a Redis nobody listens on: the per-address reset
/// budget cannot be counted, so the request is refused and no mail goes out (an outage must not lift the limit).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PasswordResetRedisDownTests(ApiFixture api)
{
    [Fact]
    public async Task WithRedisUnreachableAResetAnswers503AndMailsNothing()
    {
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var settings = InProcessHost.Settings(api, "api-redis-down", new() { ["Auth:SigningKeyPem"] = api.SigningKeyPem });
        settings["ConnectionStrings:redis"] = $"127.0.0.1:{closedPort}";
        await using var host = await InProcessHost.StartAsync(InProcessHost.Build(settings, b => b.AddApiServices()), app =>
        {
            app.UseApiPipeline();
            app.MapApiEndpoints();
        });
        using var http = api.CreateClient();
        var account = TestAccount.New();
        await http.RegisterAsync(account);
        using var down = new HttpClient { BaseAddress = InProcessHost.AddressOf(host), Timeout = TimeSpan.FromSeconds(30) };

        using var refused = await down.PostAsync("/api/auth/password-reset", new { account.Email });
        var mail = await http.GetFromJsonAsync<List<DevMailMessage>>($"/api/dev/mail?to={Uri.EscapeDataString(account.Email)}");

        await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ApiErrorCodes.RedisUnavailable);
        Assert.DoesNotContain(mail!, m => m.Subject.Contains("Reset", StringComparison.Ordinal));
    }
}
