using LiveAspire.Web;
using LiveAspire.Web.Chat;
using LiveAspire.Web.Components;
using LiveAspire.Web.Sessions;
using LiveAspire.Web.Streams;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddWebServices();
    if (builder.Environment.IsEnvironment("Testing"))
    {
        // The test systems run the build output in Testing, where ASP.NET Core does not load the static web assets
        // manifest as it does in Development: the compressed variants (under obj/) were missing, and a browser asking
        // for gzip got an empty app.css without a content type, which nosniff rightly refuses to apply.
        builder.WebHost.UseStaticWebAssets();
    }

    var app = builder.Build();
    app.UseWebSecurityHeaders();
    // Errors in words, never a stack trace (no developer page outside Development): an exception and a status
    // without a body are both rendered by the Status page.
    if (!app.Environment.IsDevelopment())
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/status",
            CreateScopeForErrors = true,
            StatusCodeSelector = DatabaseUnavailableHandler.StatusCode,
        });
    }
    app.UseStatusCodePagesWithReExecute("/status", "?code={0}", createScopeForStatusCodePages: true);
    app.UseAntiforgery();
    app.MapDefaultEndpoints();
    app.MapStaticAssets();
    app.MapSessionEndpoints();
    app.MapStreamPageEndpoints();
    app.MapHomeEndpoints();
    app.MapChatEndpoints();
    app.MapRazorComponents<App>();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // A missing setting is an operator's fix: one clear line, no stack trace.
    return StartupFailure.Report(ex, "LiveAspire.Web");
}
