using System.Net.Http.Headers;
using LiveAspire.Contracts.Realtime;
using Microsoft.Extensions.Hosting;

namespace LiveAspire.Tests.Realtime.Connections;

/// <summary>
/// A replica that is stopping tells its clients to reconnect and keeps listening while they leave; meanwhile it takes
/// no new hub connection (503 <c>shutting_down</c>), so a client sent away cannot land on it again through a
/// round-robin balancer. Realtime runs in-process here, so the test holds the stop open with a client that ignores
/// <c>Reconnect</c> and looks inside the drain.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class StoppingReplicaTests(ApiFixture stores)
{
    [Fact]
    public async Task AStoppingReplicaRefusesNewHubConnectionsWith503WhileItsClientsLeave()
    {
        var users = await SystemTokens.NewUsersAsync(stores, 2);
        var realtime = await InProcessHost.StartRealtimeAsync(InProcessHost.Settings(stores, "realtime-stopping", new()
        {
            // Long enough to look inside; the stubborn client's close ends it early.
            ["Shutdown:DrainTimeout"] = "00:01:00",
        }));
        var address = InProcessHost.AddressOf(realtime);
        using var http = new HttpClient { BaseAddress = address, Timeout = InProcessHost.Deadline };
        Task<HttpResponseMessage> NegotiateAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{LiveHubContract.Path}/negotiate?negotiateVersion=1");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SystemTokens.Mint(stores, users[1]));
            return http.SendAsync(request);
        }
        using (var before = await NegotiateAsync())
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var cts = new CancellationTokenSource(InProcessHost.Deadline);
        var stubborn = await RawHubSocket.ConnectAsync(address, SystemTokens.Mint(stores, users[0]), cts.Token);
        await stubborn.HandshakeAsync(cts.Token);
        stubborn.StartReading();
        // Answered: the connection is open and registered before the stop begins.
        await stubborn.SendAsync(HubFraming.Invocation("1", LiveHubContract.Ping), cts.Token);
        await Eventually.UntilAsync(() => stubborn.CompletionsOf("1").Count > 0, "the open client's ping answered");
        // As SIGTERM does it: the drain runs in the stopping callbacks, on the thread that asked to stop, while the
        // server keeps listening.
        var stopping = Task.Run(() => realtime.StopAsync());
        try
        {
            await Eventually.UntilAsync(() => stubborn.CallsOf(nameof(ILiveClient.Reconnect)).Count > 0, "Reconnect sent to the open client");
            using var refused = await NegotiateAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(HubErrorCodes.ShuttingDown, body.RootElement.GetProperty("code").GetString());
            // A send or poll of a connection that is already open (it names its id) is not refused: SignalR answers it
            // (here 404, as the id is unknown).
            using var send = new HttpRequestMessage(HttpMethod.Post, $"{LiveHubContract.Path}?id=not-a-connection")
            {
                Content = new StringContent("{}"),
            };
            send.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SystemTokens.Mint(stores, users[1]));
            using var sent = await http.SendAsync(send);
            Assert.Equal(HttpStatusCode.NotFound, sent.StatusCode);
            Assert.False(stopping.IsCompleted, "the drain ended before the refusal was seen");
        }
        finally
        {
            await stubborn.DisposeAsync();
            await stopping.WaitAsync(InProcessHost.Deadline);
            await realtime.DisposeAsync();
        }
    }
}
