using LiveAspire.Hosting;
using LiveAspire.Realtime;
using LiveAspire.Realtime.Edge;
using LiveAspire.Realtime.Hubs;
using LiveAspire.Realtime.Replicas;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults();
    builder.AddRealtimeServices();

    var app = builder.Build();
    app.UseEdgeBeforeAuthentication();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseEdgeAfterAuthentication();
    app.MapDefaultEndpoints();
    app.MapReplicaApi();
    app.MapTestingMemoryApi();
    app.MapEdgeHub<LiveHub>(LiveHub.Path);
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // A missing setting is an operator's fix: one clear line, no stack trace.
    return StartupFailure.Report(ex, "LiveAspire.Realtime");
}
