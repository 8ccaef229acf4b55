using LiveAspire.Realtime.Edge;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>
/// Whose <c>X-Forwarded-For</c> Realtime believes, with the edge's registration as Program.cs runs it: in the default
/// configuration nobody's (the peer's address is the client's, so a header cannot escape the per-address cap), and
/// with <c>Edge:KnownProxies</c> only the listed proxies'. The running system's side is in ConnectionCapTests and in
/// AppHostCommandTests (no service gets Aspire's <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>).
/// </summary>
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.0.0.5")]
    public async Task InTheDefaultConfigurationNoPeerIsBelieved(string peer)
        => Assert.Equal(IPAddress.Parse(peer), await ClientAddressAsync(peer, "203.0.113.9", knownProxy: null));

    [Fact]
    public async Task AConfiguredProxyIsBelievedAndNoOtherPeer()
    {
        Assert.Equal(IPAddress.Parse("203.0.113.9"), await ClientAddressAsync("10.0.0.5", "203.0.113.9", knownProxy: "10.0.0.5"));
        Assert.Equal(IPAddress.Parse("127.0.0.1"), await ClientAddressAsync("127.0.0.1", "203.0.113.9", knownProxy: "10.0.0.5"));
    }

    private static async Task<IPAddress?> ClientAddressAsync(string peer, string forwardedFor, string? knownProxy)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (knownProxy is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Edge:KnownProxies:0"] = knownProxy });
        }
        builder.AddEdge();
        await using var services = builder.Services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        var middleware = new ForwardedHeadersMiddleware(_ => Task.CompletedTask, NullLoggerFactory.Instance,
            services.GetRequiredService<IOptions<ForwardedHeadersOptions>>());

        await middleware.Invoke(context);

        return context.Connection.RemoteIpAddress;
    }
}
