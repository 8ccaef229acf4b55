using LiveAspire.AppHost.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddRedis("redis");
var postgres = builder.AddPostgres("postgres");
var livedb = postgres.AddDatabase("livedb");
var (signingKey, publicKey) = builder.AddSigningKeyPair("jwt-signing-key");
// Password of the first admin account, created by Api when no admin exists (kept in <state>/secrets/).
var initialAdminPassword = builder.AddSecretParameter("initial-admin-password", generateMinLength: 22);

var api = builder.AddProject<Projects.LiveAspire_Api>("api")
    .WithReference(livedb).WithReference(redis)
    .WaitFor(livedb).WaitFor(redis)
    .WithEnvironment("Auth__SigningKeyPem", signingKey)
    .WithEnvironment("Auth__PublicKeyPem", publicKey)
    .WithEnvironment("Auth__InitialAdminPassword", initialAdminPassword)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

var realtime = builder.AddProject<Projects.LiveAspire_Realtime>("realtime")
    .WithReplicas(2)
    .WithReference(livedb).WithReference(redis).WithReference(api)
    .WaitFor(api)
    .WithEnvironment("Auth__PublicKeyPem", publicKey)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// Two replicas: one relays the outbox, the other stands by and takes the partition locks when it dies.
builder.AddProject<Projects.LiveAspire_Worker>("worker")
    .WithReplicas(2)
    .WithReference(livedb).WithReference(redis).WithReference(api)
    .WaitFor(api)
    .WithHttpHealthCheck("/health");

var web = builder.AddProject<Projects.LiveAspire_Web>("web")
    .WithReference(api).WithReference(realtime)
    .WaitFor(api)
    .WithEnvironment("Auth__PublicKeyPem", publicKey)
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

// Api and Realtime allow the Web origin (CORS and the WebSocket Origin allowlist).
api.WithReference(web);
realtime.WithReference(web);

await builder.Build().RunAsync();
