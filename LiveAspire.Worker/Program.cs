using LiveAspire.Worker;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddWorkerServices();

    var app = builder.Build();
    app.MapDefaultEndpoints();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // A missing setting is an operator's fix: one clear line, no stack trace.
    return StartupFailure.Report(ex, "LiveAspire.Worker");
}
