using LiveAspire.Api;
using LiveAspire.Api.Accounts;
using LiveAspire.Api.Channels;
using LiveAspire.Api.Data;
using LiveAspire.Api.Email;
using LiveAspire.Api.Emotes;
using LiveAspire.Api.Follows;
using LiveAspire.Api.Moderators;
using LiveAspire.Api.Overlay;
using LiveAspire.Api.Streams;
using LiveAspire.Api.Subscriptions;
using LiveAspire.Api.Platform;
using LiveAspire.Api.Rooms;
using LiveAspire.Api.Seeding;
using LiveAspire.ServiceDefaults.Hosting;
using LiveAspire.Rooms;

try
{
    if (SeedCommand.IsInvocation(args))
    {
        return await SeedCommand.RunAsync(args);
    }

    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddLiveAspireAuthentication();
    builder.AddApiServices();
    builder.AddAccounts();
    builder.AddChannels();
    builder.AddRooms();

    var app = builder.Build();
    // Before serving anything: no request (and no health probe) may see an old schema.
    await app.ApplySchemaMigrationsAsync();
    await app.EnsureInitialAdminAsync();

    app.UseApiPipeline();
    app.MapDefaultEndpoints();
    app.MapOpenApi();
    app.MapPlatformApi();
    app.MapChannelsApi();
    app.MapStreamsApi();
    app.MapFollowsApi();
    app.MapSubscriptionsApi();
    app.MapModeratorsApi();
    app.MapEmotesApi();
    app.MapOverlayApi();
    app.MapAccountsApi();
    app.MapMeApi();
    app.MapAdminUsersApi();
    app.MapDevMailApi();
    app.MapRoomsApi();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // A missing setting or an edited migration is an operator's fix: one clear line, no stack trace.
    return StartupFailure.Report(ex, "LiveAspire.Api");
}
