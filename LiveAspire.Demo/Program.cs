using LiveAspire.Demo;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddDemo();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // A missing or bad setting is an operator's fix: one clear line, no stack trace.
    return StartupFailure.Report(ex, "LiveAspire.Demo");
}
