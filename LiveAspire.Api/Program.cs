using LiveAspire.Api;
using LiveAspire.Api.Seeding;
using LiveAspire.Hosting;

try
{
    if (SeedCommand.IsInvocation(args))
    {
        return await SeedCommand.RunAsync(args);
    }

    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddApiServices();

    var app = builder.Build();
    // Before serving anything: no request (and no health probe) may see an old schema.
    await app.ApplySchemaMigrationsAsync();
    await app.EnsureInitialAdminAsync();

    app.UseApiPipeline();
    app.MapDefaultEndpoints();
    app.MapApiEndpoints();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // A missing setting or an edited migration is an operator's fix: one clear line, no stack trace.
    return StartupFailure.Report(ex, "LiveAspire.Api");
}
