using LiveAspire.Client;
using LiveAspire.Contracts.Realtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveAspire.Tests.Harness.Systems;

/// <summary>A real ASP.NET Core SignalR server (Kestrel, 127.0.0.1, free port) hosting <see cref="ScriptedLiveHub"/> at
/// /hubs/live, with an upgrade check that answers 401 to the script's rejected tokens.</summary>
public sealed class ScriptedHubServer : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly TestApp _app;

    private ScriptedHubServer(TestApp app)
    {
        _app = app;
        Address = app.Client.BaseAddress!;
        HubUrl = new Uri(Address, LiveHubContract.Path);
    }

    public HubScript Script => _app.Services.GetRequiredService<HubScript>();

    public Uri Address { get; }

    public Uri HubUrl { get; }

    public IHubContext<ScriptedLiveHub, ILiveClient> Hub => _app.Services.GetRequiredService<IHubContext<ScriptedLiveHub, ILiveClient>>();

    public static async Task<ScriptedHubServer> StartAsync(Action<HubOptions>? configureHub = null, Action<WebApplication>? map = null)
    {
        var app = await TestApp.StartAsync([], builder =>
        {
            builder.Services.AddSingleton<HubScript>();
            builder.Services.AddSignalR(o => configureHub?.Invoke(o));
        }, app =>
        {
            app.Use(UpgradeCheckAsync);
            map?.Invoke(app);
            app.MapHub<ScriptedLiveHub>(LiveHubContract.Path);
        });
        return new ScriptedHubServer(app);
    }

    /// <summary>Records each hub request's credentials and answers 401 to the script's rejected tokens.</summary>
    private static async Task UpgradeCheckAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(LiveHubContract.Path))
        {
            var script = context.RequestServices.GetRequiredService<HubScript>();
            string? authorization = context.Request.Headers.Authorization;
            var token = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true
                ? authorization["Bearer ".Length..]
                : context.Request.Query["access_token"].ToString();
            script.UpgradeAuthorizations.Enqueue(authorization ?? (token.Length > 0 ? "query " + token : null));
            if (script.RejectedTokens.ContainsKey(token))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }
        await next(context);
    }

    public static EventEnvelope Envelope(string room, long seq, string epoch = "e1", string? id = null, string type = "chat.message")
        => new(id ?? $"{room}#{epoch}#{seq}", type, room, seq, epoch, 1_700_000_000_000 + seq,
            JsonSerializer.SerializeToElement(new { text = $"message {seq}" }));

    public static EventEnvelope Gap(string room, long from, long to)
        => new($"gap-{room}-{from}-{to}", LiveHubContract.GapEventType, room, 0, "e1", 0, JsonSerializer.SerializeToElement(new { from, to }));

    public Task PushAsync(string connectionId, params EventEnvelope[] envelopes)
        => Hub.Clients.Client(connectionId).Events(envelopes).WaitAsync(Deadline);

    public Task PushToLatestAsync(params EventEnvelope[] envelopes) => PushAsync(Script.LatestConnectionId, envelopes);

    /// <summary>Waits until the hub has seen <paramref name="count"/> connections; returns the newest id.</summary>
    public async Task<string> ConnectionAsync(int count)
    {
        await Eventually.UntilAsync(() => Script.ConnectionIds.Count >= count && Script.Open.ContainsKey(Script.LatestConnectionId),
            $"connection #{count} to the scripted hub", Deadline);
        return Script.ConnectionIds.ElementAt(count - 1);
    }

    /// <summary>Drops the TCP connection under the hub, as a crashed replica or a broken network would: no Close
    /// message reaches the client.</summary>
    public void DropConnection(string connectionId) => Script.Open[connectionId].GetHttpContext()!.Abort();

    /// <summary><c>Context.Abort()</c>: SignalR sends a Close message without allowReconnect before closing.</summary>
    public void AbortHubConnection(string connectionId) => Script.Open[connectionId].Abort();

    /// <summary>Asks the connection to close as a server shutting down does: SignalR sends a Close message with
    /// allowReconnect before closing.</summary>
    public void RequestClose(string connectionId)
        => Script.Open[connectionId].Features.Get<IConnectionLifetimeNotificationFeature>()!.RequestClose();

    public LiveHubClient Client(Func<CancellationToken, ValueTask<string?>>? tokens = null, Action<LiveHubClientOptions>? configure = null)
    {
        var options = new LiveHubClientOptions
        {
            HubUrl = HubUrl,
            AccessTokenProvider = tokens ?? (_ => ValueTask.FromResult<string?>("good-token")),
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            InvocationTimeout = Deadline,
            HandshakeTimeout = Deadline,
        };
        configure?.Invoke(options);
        return new LiveHubClient(options);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
