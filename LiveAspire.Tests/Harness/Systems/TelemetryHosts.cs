using System.Diagnostics;
using LiveAspire.Api;
using LiveAspire.Api.Accounts;
using LiveAspire.Api.Data;
using LiveAspire.Contracts.Auth;
using LiveAspire.Contracts.Chat;
using LiveAspire.Hosting;
using LiveAspire.Data.Outbox;
using LiveAspire.Rooms;
using LiveAspire.Access;
using LiveAspire.Realtime;
using LiveAspire.Realtime.Delivery;
using LiveAspire.Web;
using LiveAspire.Web.ApiClient;
using LiveAspire.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// Realtime, a Worker, Api's start-up and session code and Web's Api client running inside the test process, with the services' own
/// registrations (AddServiceDefaults and each service's Add*Services) against real Redis and PostgreSQL, each host's
/// tracer and meter providers exporting into the same in-memory lists. Initialising it drives every path that has a
/// span or an instrument of ours: a join, a publish and its dispatch, an ephemeral publish, a catch-up, a chat client
/// shed and a reliable one overflowed (the <c>send-queue-hold</c> hook), heartbeats, a revocation, an outbox relay, the
/// schema migration, a login and a refresh, and a page render while Api cannot be reached.
/// </summary>
public sealed class TelemetryHosts(Xunit.Abstractions.IMessageSink diagnostics) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const int SendQueueCapacity = 32;

    private readonly ApiFixture _stores = new(diagnostics);
    private readonly List<WebApplication> _hosts = [];
    private readonly string _faults = Path.Combine(Path.GetTempPath(), $"liveaspire-telemetry-{Guid.NewGuid():N}");

    public SyncCollection<Activity> Spans { get; } = new();

    public SyncCollection<Metric> Metrics { get; } = new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_faults);
        await _stores.InitializeAsync();
        var realtime = await InProcessHost.StartRealtimeAsync(InProcessHost.Settings(_stores, "realtime-telemetry", new()
        {
            ["Heartbeat:Interval"] = "00:00:01",
            ["Delivery:SendQueueCapacity"] = $"{SendQueueCapacity}",
            ["FaultHooks:Directory"] = _faults,
        }), Export);
        _hosts.Add(realtime);
        var worker = await InProcessHost.StartAsync(Add(InProcessHost.Build(
            InProcessHost.Settings(_stores, "worker-telemetry", new() { ["Outbox:MetricsIntervalMs"] = "200" }),
            b => { b.AddWorkerServices(); Export(b); })));
        await ExerciseRealtimeAsync(realtime);
        await ExerciseWorkerAsync(worker);
        await ExerciseApiAsync();
        await ExerciseWebAsync();
    }

    /// <summary>Collects every provider's metrics now (the periodic reader would wait a minute).</summary>
    public void FlushMetrics()
    {
        foreach (var host in _hosts)
        {
            host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync().WaitAsync(Deadline);
            await host.DisposeAsync();
        }
        await _stores.DisposeAsync();
        Directory.Delete(_faults, recursive: true);
    }

    private void Export(WebApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
    }

    private WebApplication Add(WebApplication host)
    {
        _hosts.Add(host);
        return host;
    }

    private async Task ExerciseRealtimeAsync(WebApplication realtime)
    {
        var address = InProcessHost.AddressOf(realtime);
        var users = await SystemTokens.NewUsersAsync(_stores, 3);
        var publisher = realtime.Services.GetRequiredService<IRoomPublisher>();
        Task<CollectingClient> ConnectAsync(Guid user) => LiveClients.ConnectAsync(address, () => SystemTokens.Mint(_stores, user));

        // Join (room.resume), publish (room.publish) and hand out (room.dispatch, frames), an ephemeral counter,
        // a catch-up as after a Redis reconnect, and heartbeats (rtt).
        await using var watcher = await ConnectAsync(users[0]);
        var channel = Guid.NewGuid();
        var room = RoomName.Stream(channel).ToString();
        await watcher.Client.JoinStreamAsync(channel.ToString("D")).WaitAsync(Deadline);
        await publisher.PublishAsync(room, "chat.message", Json(new { text = "hello" }));
        await watcher.WaitForSeqAsync(room, 1, Deadline);
        await publisher.PublishEphemeralAsync(room, "presence.count", Json(new { viewers = 1 }));
        realtime.Services.GetRequiredService<RoomSync>().ResyncAll();
        await Eventually.UntilAsync(() => watcher.Client.LastRttMs is not null, "a heartbeat's round trip", Deadline);
        // A chat send, refused (an empty message): counted by its outcome.
        await Assert.ThrowsAsync<LiveAspire.Client.LiveHubInvocationException>(() => watcher.Client.SendChatAsync(channel.ToString("D"), " ", "telemetry-1"));
        // And one accepted (its channel is a row now): each step timed (chat.send.duration).
        await using (var database = _stores.CreateDataSource())
        {
            await using var insert = database.CreateCommand("INSERT INTO channels (id, slug, display_name) VALUES ($1, $2, 'Telemetry')");
            insert.Parameters.Add(new() { Value = channel });
            insert.Parameters.Add(new() { Value = $"t{channel:N}"[..20] });
            await insert.ExecuteNonQueryAsync();
        }
        // Retried with the same clientMsgId while Redis is refused (the exercises above may have left this replica's
        // Redis calls failing fast for a moment), as a client does: one message whatever the number of tries.
        SendChatResult? sent = null;
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                sent = await watcher.Client.SendChatAsync(channel.ToString("D"), "hello, telemetry", "telemetry-2").WaitAsync(Deadline);
                return true;
            }
            catch (LiveAspire.Client.LiveHubInvocationException e) when (e.Code == LiveAspire.Contracts.Realtime.HubErrorCodes.RedisUnavailable)
            {
                return false;
            }
        }, "an accepted chat send", Deadline);
        await watcher.WaitForSeqAsync(room, sent!.Seq!.Value, Deadline);

        // A client that stopped reading: its chat is shed, and reliable events alone overflow its send queue.
        await using var chatVictim = await HeldAsync(ConnectAsync, users[1], "chat.message", publisher);
        await using var tipVictim = await HeldAsync(ConnectAsync, users[2], "tip.received", publisher);
        await File.WriteAllTextAsync(Path.Combine(_faults, $"{FaultHookNames.SendQueueHold}.release"), "");

        // A revocation closes the watcher's connection.
        await realtime.Services.GetRequiredService<IRevocationPublisher>().PublishAsync(new RevocationNotice(users[0], 1000, "test"));
        await watcher.Client.Terminated.WaitAsync(Deadline);
    }

    private async Task<CollectingClient> HeldAsync(Func<Guid, Task<CollectingClient>> connect, Guid user, string type, IRoomPublisher publisher)
    {
        var room = TestRooms.NewStreamRoom();
        await File.WriteAllTextAsync(Path.Combine(_faults, $"{FaultHookNames.SendQueueHold}.arm"), $"wait\ncontext={room} user:{user}");
        var victim = await connect(user);
        await victim.Client.JoinAsync([room]).WaitAsync(Deadline);
        for (var n = 0; n < SendQueueCapacity + 8; n++)
        {
            await publisher.PublishAsync(room, type, Json(new { n }));
        }
        return victim;
    }

    private async Task ExerciseWorkerAsync(WebApplication worker)
    {
        var room = TestRooms.NewStreamRoom();
        // Written as a business transaction in Api would write it; the in-process Worker relays it.
        var writer = new OutboxWriter(worker.Services.GetRequiredService<IOptions<OutboxOptions>>(), Options.Create(new RoomOptions()));
        await using (var context = new LiveDbContext(new DbContextOptionsBuilder<LiveDbContext>().UseNpgsql(_stores.ConnectionString("livedb")).Options))
        {
            writer.Add(context, room, "test.outbox", new { n = 1 });
            await context.SaveChangesAsync().WaitAsync(Deadline);
        }
        var history = worker.Services.GetRequiredService<IRoomHistory>();
        await Eventually.UntilAsync(async () => (await history.ReadAsync(room, 0)).Seq >= 1, "the outbox row relayed", Deadline);
    }

    private async Task ExerciseApiAsync()
    {
        var api = Add(InProcessHost.Build(InProcessHost.Settings(_stores, "api-telemetry", new() { ["Auth:SigningKeyPem"] = _stores.SigningKeyPem }), b =>
        {
            b.AddApiServices();
            Export(b);
        }));
        // Listening before the first measurement (the host would start it only when it runs).
        api.Services.GetRequiredService<MeterProvider>();
        await api.ApplySchemaMigrationsAsync();
        var sessions = api.Services.GetRequiredService<SessionService>();
        await sessions.LoginAsync("nobody-here", "wrong-password", "device-1", CancellationToken.None);
        await sessions.RefreshAsync("not-a-refresh-token", CancellationToken.None);
    }

    private async Task ExerciseWebAsync()
    {
        // Api's address is a port nobody listens on: the home page's data load fails as it would during an outage.
        int closedPort;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        var web = Add(InProcessHost.Build(new()
        {
            ["services:api:http:0"] = $"http://127.0.0.1:{closedPort}",
            ["services:realtime:http:0"] = $"http://127.0.0.1:{closedPort}",
            // Never opened: the home page needs no session.
            ["ConnectionStrings:livedb"] = $"Host=127.0.0.1;Port={closedPort};Database=livedb;Username=web",
            ["ClientAddress:WebKey"] = "telemetry-test-key",
        }, b =>
        {
            b.AddWebServices();
            Export(b);
        }));
        web.Services.GetRequiredService<MeterProvider>();
        web.Services.GetRequiredService<TracerProvider>();
        Assert.Null(await web.Services.GetRequiredService<LiveApiClient>().TryGetHomeAsync().WaitAsync(Deadline));
    }

    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);
}
