using LiveAspire.Api;
using LiveAspire.Api.Channels;
using LiveAspire.Api.Data;
using LiveAspire.Api.Platform;
using LiveAspire.Infrastructure.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddApiServices();

    var app = builder.Build();
    // Before serving anything: no request (and no health probe) may see an old schema.
    await app.ApplySchemaMigrationsAsync();

    app.MapDefaultEndpoints();
    app.MapOpenApi();
    app.MapPlatformApi();
    app.MapChannelsApi();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // A missing setting or an edited migration is an operator's fix: one clear line, no stack trace.
    return StartupFailure.Report(ex, "LiveAspire.Api");
}
