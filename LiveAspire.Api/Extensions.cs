using LiveAspire.Api.Chat;
using LiveAspire.Api.Email;
using LiveAspire.Contracts.Text;
using LiveAspire.Hosting;
using LiveAspire.Api.Emotes;
using LiveAspire.Api.Follows;
using LiveAspire.Api.Moderators;
using LiveAspire.Api.Overlay;
using LiveAspire.Api.Platform;
using LiveAspire.Api.Rooms;
using LiveAspire.Api.Streams;
using LiveAspire.Api.Subscriptions;
using LiveAspire.Data.Schema;
using LiveAspire.Rooms;
using Microsoft.Extensions.DependencyInjection.Extensions;
using LiveAspire.Postgres;

namespace LiveAspire.Api;

/// <summary>The Api's table of contents: what it registers and what it serves, feature by feature.</summary>
public static class Extensions
{
    /// <summary>
    /// Registers the Api: token validation, the database, then each feature's services. Throws
    /// <c>ConfigurationException</c> when a setting they need is missing (<c>ConnectionStrings:livedb</c>,
    /// <c>ConnectionStrings:redis</c>, <c>Auth:SigningKeyPem</c>), and <c>StartupException</c> without ICU (names could not be normalised).
    /// </summary>
    public static TBuilder AddApiServices<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!UserText.CanNormalize)
        {
            // Refuse to start rather than store names that were never normalised (docs/accounts.md, "Names people see").
            throw new StartupException("Api needs ICU to NFKC-normalise names: run it without InvariantGlobalization (libicu installed).");
        }
        builder.AddLiveAspireAuthentication();
        // Named failure points for tests (a no-op outside Testing): revocations can be made to lose their notice.
        builder.Services.TryAddSingleton<LiveAspire.Hosting.FaultHooks>();
        builder.AddApiDatabase();
        builder.Services.AddOpenApi();
        builder.AddClientAddress();
        builder.AddAccounts();
        builder.AddChannels();
        builder.AddRooms();
        builder.AddAnnouncements();
        return builder;
    }

    /// <summary>
    /// Maps the OpenAPI document and every feature's endpoints. The features share one <c>/api</c> group; each gives
    /// its own sub-groups their tags and authorization.
    /// </summary>
    public static WebApplication MapApiEndpoints(this WebApplication app)
    {
        app.MapOpenApi();
        var api = app.MapGroup("/api");
        api.MapPlatformApi();
        api.MapChannelsApi();
        api.MapGuestTokensApi();
        api.MapStreamsApi();
        api.MapFollowsApi();
        api.MapSubscriptionsApi();
        api.MapModeratorsApi();
        api.MapEmotesApi();
        api.MapOverlayApi();
        api.MapAccountsApi();
        api.MapMeApi();
        api.MapUsersApi();
        api.MapAdminUsersApi();
        api.MapDevMailApi();
        api.MapRoomsApi();
        api.MapAnnouncementsApi();
        api.MapChatApi();
        return app;
    }

    /// <summary>The database: <see cref="LiveDbContext"/> on the process's one PostgreSQL pool, and the schema migrator; throws <c>ConfigurationException</c> when <c>ConnectionStrings:livedb</c> is missing.</summary>
    public static TBuilder AddApiDatabase<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddLiveAspireNpgsqlDataSource(LiveDbContext.ConnectionName);
        // EF Core shares the data source with the raw-SQL paths and the health check: one connection pool per
        // process, so the pool size in the connection string is the process's whole budget of PostgreSQL
        // connections (AddNpgsqlDbContext would build a second pool from the same string). Hence
        // AddDbContextPool plus Aspire's Enrich, which adds EF's traces and metrics to this registration.
        builder.Services.AddDbContextPool<LiveDbContext>((services, options) =>
            options.UseNpgsql(services.GetRequiredService<NpgsqlDataSource>()));
        builder.EnrichNpgsqlDbContext<LiveDbContext>(settings =>
        {
            // Explicit transactions (streams, overlay keys) cannot run under a retrying execution strategy, and a
            // business write with an outbox row must not be replayed behind the caller's back.
            settings.DisableRetry = true;
            // The data source's PostgreSql check already probes this pool; a second check would query it again.
            settings.DisableHealthChecks = true;
        });
        // PostgreSQL stopped or restarting: 503 database_unavailable rather than 500 (docs/errors.md).
        builder.Services.AddExceptionHandler<DatabaseUnavailableHandler>();
        builder.Services.AddSingleton(services => new SchemaMigrator(services.GetRequiredService<ILogger<SchemaMigrator>>()));
        return builder;
    }
}
