namespace LiveAspire.Tests.Harness.Systems;

/// <summary>What the realtime tests on the shared system need: the server publish call, and clients of real users.</summary>
public abstract class RealtimeTestBase(AppHostFixture system) : IAsyncLifetime
{
    protected AppHostFixture System { get; } = system;

    protected TestRooms Rooms { get; private set; } = null!;

    public async Task InitializeAsync() => Rooms = await TestRooms.ConnectAsync(System.ConnectionString("redis"));

    public async Task DisposeAsync() => await Rooms.DisposeAsync();

    /// <summary>A replica's own address (bypassing the proxy), to pin a client to it.</summary>
    protected Uri Replica(int index) => System.Replica("realtime", index);

    /// <summary>A connected client of <paramref name="user"/>, or of a new real user.</summary>
    protected async Task<CollectingClient> ConnectAsync(Uri url, Guid? user = null)
    {
        var id = user ?? await SystemTokens.NewUserAsync(System);
        return await LiveClients.ConnectAsync(url, () => SystemTokens.Mint(System, id));
    }
}
