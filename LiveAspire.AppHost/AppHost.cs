using LiveAspire.AppHost;
using LiveAspire.AppHost.Demo;
using LiveAspire.AppHost.Publishing;
using LiveAspire.AppHost.Reporting;
using LiveAspire.AppHost.Stores;

try
{
    var builder = DistributedApplication.CreateBuilder(args);
    var local = builder.ForThisMachine(args); // null when publishing

    var redis = builder.AddRedisStore("redis", local);
    var livedb = builder.AddPostgresDatabase("postgres", "livedb", local);
    var (signingKey, publicKey) = builder.AddSigningKeyPair("jwt-signing-key", local);
    // Password of the first admin account, created by Api when no admin exists.
    var initialAdminPassword = builder.AddSecret("initial-admin-password", local);
    // Shared by Web and Api only: Web sends it with the browser's address, and Api believes that address only with it.
    var webKey = builder.AddSecret("web-client-address-key", local);

    var api = builder.AddService<Projects.LiveAspire_Api>("api", local)
        .WithReference(livedb).WithReference(redis)
        .WaitFor(livedb).WaitFor(redis)
        .WithEnvironment("Auth__SigningKeyPem", signingKey)
        .WithEnvironment("Auth__PublicKeyPem", publicKey)
        .WithEnvironment("Auth__InitialAdminPassword", initialAdminPassword)
        .WithEnvironment("ClientAddress__WebKey", webKey)
        .WithExternalHttpEndpoints();

    var realtime = builder.AddService<Projects.LiveAspire_Realtime>("realtime", local)
        .WithReplicas(2)
        .WithReference(livedb).WithReference(redis).WithReference(api)
        .WaitFor(api)
        .WithEnvironment("Auth__PublicKeyPem", publicKey)
        .WithExternalHttpEndpoints();

    // Two replicas: one relays the outbox, the other stands by and takes the partition locks when it dies.
    builder.AddService<Projects.LiveAspire_Worker>("worker", local)
        .WithReplicas(2)
        .WithReference(livedb).WithReference(redis).WithReference(api)
        .WaitFor(api);

    // Two replicas: browser sessions live in PostgreSQL (Web's own tables, which Api's migrations create before it
    // is healthy), so either replica serves any session (docs/web.md).
    var web = builder.AddService<Projects.LiveAspire_Web>("web", local)
        .WithReplicas(2)
        .WithReference(api).WithReference(livedb)
        .WithRealtimeForBrowsers(realtime)
        .WaitFor(api).WaitFor(livedb)
        .WithEnvironment("Auth__PublicKeyPem", publicKey)
        .WithEnvironment("ClientAddress__WebKey", webKey)
        .WithExternalHttpEndpoints();

    // Api and Realtime allow the Web origin (CORS and the WebSocket Origin allowlist).
    api.WithReference(web);
    realtime.WithWebOriginFor(web);

    // Development (./run.sh): demo performers live on demo channels and simulated viewers, through Api and Realtime
    // like any client (docs/demo.md); --demo off leaves it out.
    builder.AddDemo(local, api, realtime);

    builder.AddEndpointsReport(local);
    builder.Build().Run();
    return 0;
}
catch (StartupException e)
{
    // Something on this machine to fix (a missing binary, no free port): one line, no stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
