namespace LiveAspire.AppHost.Publishing;

/// <summary>
/// Addresses only a deployment knows: where browsers reach Realtime and Web from outside. Locally they are the
/// services' own endpoints; in the manifest they are parameters the deployer sets (docs/deploy.md).
/// </summary>
public static class PublicAddressExtensions
{
    /// <summary>Parameter: the Realtime address browsers are given (its hub is <c>/hubs/live</c> under it).</summary>
    public const string RealtimePublicUrl = "realtime-public-url";

    /// <summary>Parameter: the Web origin browsers load pages from, which Realtime allows.</summary>
    public const string WebPublicUrl = "web-public-url";

    /// <summary>
    /// The Realtime address Web renders into its pages, read from <c>services:realtime:http:0</c>. Run mode: a
    /// reference to Realtime (the orchestrator's proxy in front of the replicas). Publish mode: parameter
    /// <see cref="RealtimePublicUrl"/>, because Aspire's <c>{realtime.bindings.http.url}</c> is an address inside the
    /// deployment that a browser may not reach.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRealtimeForBrowsers(this IResourceBuilder<ProjectResource> web,
        IResourceBuilder<ProjectResource> realtime)
    {
        var builder = web.ApplicationBuilder;
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return web.WithReference(realtime);
        }
        var url = builder.AddParameter(RealtimePublicUrl);
        return web.WithEnvironment("services__realtime__http__0", url);
    }

    /// <summary>
    /// The Web origin Realtime lets browsers open the hub from. Run mode: a reference to Web
    /// (<c>services:web:http:0</c>). Publish mode: that reference, plus parameter <see cref="WebPublicUrl"/> as
    /// <c>Edge:AllowedOrigins:0</c>, the origin browsers actually send.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithWebOriginFor(this IResourceBuilder<ProjectResource> realtime,
        IResourceBuilder<ProjectResource> web)
    {
        var builder = realtime.ApplicationBuilder;
        realtime.WithReference(web);
        if (builder.ExecutionContext.IsPublishMode)
        {
            realtime.WithEnvironment("Edge__AllowedOrigins__0", builder.AddParameter(WebPublicUrl));
        }
        return realtime;
    }
}
