using LiveAspire.Api.Accounts;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.AppHost;

/// <summary>
/// The running system in its default edge configuration (no known proxy, which is what the AppHost gives every
/// service): whatever <c>X-Forwarded-For</c> a caller sends, the peer's own address is the client's, for Realtime's
/// per-address connection cap and for Api's per-address login limit. Each test has a client address of its own
/// (all of 127.0.0.0/8 is loopback on Linux), so what other tests hold never counts in it. The in-process side is
/// Realtime/Edge/ForwardedHeadersTests.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class DefaultForwardedHeadersTests(AppHostFixture system)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task UpgradesEachClaimingAnotherForwardedClientCountAgainstThePeersAddressCap()
    {
        var perIp = int.Parse(AppHostFixture.EdgeSettings["Edge__MaxConnectionsPerIp"], System.Globalization.CultureInfo.InvariantCulture);
        var perUser = int.Parse(AppHostFixture.EdgeSettings["Edge__MaxConnectionsPerUser"], System.Globalization.CultureInfo.InvariantCulture);
        var users = await SystemTokens.NewUsersAsync(system, perIp / perUser + 1);
        var replica = system.Replica("realtime", 0);
        var held = new List<OpenHubConnection>();
        using var cts = new CancellationTokenSource(Deadline);
        try
        {
            // Believed, each would be a client of its own with one connection, far under the cap.
            for (var i = 0; i < perIp; i++)
            {
                using var client = new EdgeClient(replica, "127.0.0.41", forwardedFor: $"203.0.113.{i + 1}");
                held.Add((await client.WebSocketAsync(SystemTokens.Mint(system, users[i / perUser]))).Open);
            }
            using var spoofing = new EdgeClient(replica, "127.0.0.41", forwardedFor: "198.51.100.7");
            var refused = (await spoofing.WebSocketAsync(SystemTokens.Mint(system, users[^1]))).Refused;

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            // The cap is the address's: the same user from another address, with no header, gets in.
            using var elsewhere = new EdgeClient(replica, "127.0.0.42");
            await (await elsewhere.WebSocketAsync(SystemTokens.Mint(system, users[^1]))).Open.CloseAsync();
        }
        finally
        {
            foreach (var connection in held)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task LoginAttemptsEachClaimingAnotherForwardedClientShareThePeersLimit()
    {
        var limit = new RateLimitOptions().Login.PermitLimit; // the AppHost keeps Api's default
        var api = system.Part("api").Url ?? throw new InvalidOperationException("api has no address of its own");
        using var http = new HttpClient(ClientAddress.Handler("127.0.0.43")) { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        HttpResponseMessage? rejected = null;
        // Invalid bodies: cheap for the server (no password hashing), and counted like any other attempt.
        for (var i = 0; i <= limit && rejected is null; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { }) };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                rejected = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(rejected);
        using (rejected)
        {
            await rejected.AssertProblemAsync(HttpStatusCode.TooManyRequests, ApiErrorCodes.RateLimited);
        }
    }
}
