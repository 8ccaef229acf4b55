using System.Net;
using LiveAspire.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveAspire.Realtime.Edge;

/// <summary>Registration and pipeline order of the edge checks (docs/realtime.md, "Edge security").</summary>
public static class EdgeExtensions
{
    /// <summary>The CORS policy of the hub path: the allowed origins, with credentials.</summary>
    public const string CorsPolicy = "edge";

    /// <summary>
    /// The edge's options, checks and limits, and SignalR itself with the JSON protocol only: browsers and every client
    /// here speak it, and a room's events are serialized once per room run into a shared frame (one protocol, one
    /// frame). Throws <c>ConfigurationException</c> when <c>Edge:ApplicationMaxBufferBytes</c> is below
    /// <c>Edge:MaxMessageBytes</c>.
    /// </summary>
    public static TBuilder AddEdge<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(EdgeOptions.SectionName);
        var edge = section.Get<EdgeOptions>() ?? new EdgeOptions();
        if (edge.ApplicationMaxBufferBytes < edge.MaxMessageBytes)
        {
            // A message larger than the read buffer could never be parsed: the transport would stop reading for good.
            throw new ConfigurationException("Edge:ApplicationMaxBufferBytes", "must be at least Edge:MaxMessageBytes");
        }
        services.Configure<EdgeOptions>(section);
        services.PostConfigure<EdgeOptions>(options =>
        {
            if (options.MaxConnectionsPerReplica <= 0)
            {
                options.MaxConnectionsPerReplica = OpenFileLimit.DefaultReplicaCap();
            }
        });
        services.AddSingleton<OriginPolicy>();
        services.AddSingleton<ConnectionCaps>();
        services.AddSingleton<ConnectionSlots>();
        services.AddSingleton<EdgeMiddleware>();
        services.AddSingleton<InvocationLimiter>();
        services.AddSingleton<DatabaseUnavailableFilter>();

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only the configured proxies are believed; the defaults (loopback) are cleared so that nothing else is.
            // With no proxy configured the header is not read at all: the middleware checks the peer only while one of
            // its lists is non-empty, so empty lists would make it believe every peer.
            o.ForwardedHeaders = edge.KnownProxies.Length > 0 ? ForwardedHeaders.XForwardedFor : ForwardedHeaders.None;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in edge.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<OriginPolicy>((o, origins) => o.AddPolicy(CorsPolicy, p => p
                .WithOrigins([.. origins.Allowed]).AllowAnyHeader().WithMethods("GET", "POST").AllowCredentials()));

        services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = edge.MaxMessageBytes;
            o.HandshakeTimeout = edge.HandshakeTimeout;
            // One invocation at a time per client (the default, stated): a flood queues behind the rate limit.
            o.MaximumParallelInvocationsPerClient = 1;
            o.AddFilter<InvocationLimiter>();
            o.AddFilter<DatabaseUnavailableFilter>();
        });
        services.RemoveAll<Microsoft.AspNetCore.SignalR.Protocol.IHubProtocol>();
        services.AddSingleton<Microsoft.AspNetCore.SignalR.Protocol.IHubProtocol, StrictJsonHubProtocol>();
        return builder;
    }

    /// <summary>
    /// Refusal while stopping, forwarded headers and the Origin check, then CORS, then the hub's requests authenticated
    /// with a database outage answered 503 (<see cref="EdgeMiddleware.RefuseWhileDatabaseDownAsync"/>): before the
    /// authentication middleware, which then reuses that result.
    /// </summary>
    public static WebApplication UseEdgeBeforeAuthentication(this WebApplication app)
    {
        var edge = app.Services.GetRequiredService<EdgeMiddleware>();
        app.Use(edge.RefuseWhileStoppingAsync);
        app.UseForwardedHeaders();
        app.Use(edge.CheckOriginAsync);
        app.UseCors();
        app.Use(edge.RefuseWhileDatabaseDownAsync);
        return app;
    }

    /// <summary>Connection caps: after authentication (they count per user). Long polling is counted by <see cref="CappedHubConnectionHandler{THub}"/>.</summary>
    public static WebApplication UseEdgeAfterAuthentication(this WebApplication app)
    {
        var edge = app.Services.GetRequiredService<EdgeMiddleware>();
        app.Use(edge.CheckCapsAsync);
        return app;
    }

    /// <summary>Maps the hub with the edge's transport buffer limits and CORS policy.</summary>
    public static HubEndpointConventionBuilder MapEdgeHub<THub>(this WebApplication app, string path) where THub : Hub
    {
        var edge = app.Configuration.GetSection(EdgeOptions.SectionName).Get<EdgeOptions>() ?? new EdgeOptions();
        return app.MapHub<THub>(path, o =>
        {
            o.ApplicationMaxBufferSize = edge.ApplicationMaxBufferBytes;
            o.TransportMaxBufferSize = edge.TransportMaxBufferBytes;
        }).RequireCors(CorsPolicy);
    }
}
