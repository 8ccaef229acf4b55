using LiveAspire.Web;
using LiveAspire.Web.Components;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddWebServices();

    var app = builder.Build();
    app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
    app.UseAntiforgery();
    app.MapDefaultEndpoints();
    app.MapStaticAssets();
    app.MapRazorComponents<App>();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // A missing setting is an operator's fix: one clear line, no stack trace.
    return StartupFailure.Report(ex, "LiveAspire.Web");
}
