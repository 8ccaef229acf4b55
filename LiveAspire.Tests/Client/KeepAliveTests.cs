using LiveAspire.Client;
using static LiveAspire.Tests.Harness.Systems.ScriptedHubServer;

namespace LiveAspire.Tests.Client;

public sealed class KeepAliveTests
{
    [Fact]
    public async Task AnIdleClientPingsOftenEnoughThatAServerWithAShortClientTimeoutKeepsIt()
    {
        // The server drops a client it has not heard from for 2.5 s; the client says nothing but its pings. SignalR's
        // client looks at its keep-alive once a second, so a 200 ms interval means one ping a second.
        await using var server = await StartAsync(o =>
        {
            o.ClientTimeoutInterval = TimeSpan.FromSeconds(2.5);
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(500);
        });
        await using var client = server.Client(configure: o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(200));
        await client.ConnectAsync().WaitAsync(Deadline);

        // 8 pings take at least 7 s: well past the server's timeout, which would have closed a silent client by then.
        await Eventually.UntilAsync(() => client.Counters.PingsSent >= 8, "8 keep-alive pings", 2 * Deadline);

        Assert.Equal(0, client.Counters.Reconnects);
        Assert.Single(server.Script.ConnectionIds);
        Assert.Equal(LiveHubState.Connected, client.State);
    }

    [Fact]
    public async Task ASilentServerIsTreatedAsLostAndTheClientReconnects()
    {
        // The server pings only every 10 minutes; the client gives up after 1 s of silence.
        await using var server = await StartAsync(o => o.KeepAliveInterval = TimeSpan.FromMinutes(10));
        await using var client = server.Client(configure: o => o.ServerTimeout = TimeSpan.FromSeconds(1));
        await client.ConnectAsync().WaitAsync(Deadline);

        await server.ConnectionAsync(2);

        await Eventually.UntilAsync(() => client.Counters.Reconnects >= 1, "the reconnect after the server timeout", Deadline);
    }
}
