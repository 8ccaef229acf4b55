using LiveAspire.ServiceDefaults.ServiceDiscovery;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace LiveAspire.Tests.ServiceDefaults;

public sealed class ServiceDiscoveryTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task LogicalAddressIsRewrittenToConfiguredEndpoint()
    {
        var uri = await SendAsync("http://api/x?y=1", new() { ["services:api:http:0"] = "http://127.0.0.1:5123" });
        Assert.Equal(new Uri("http://127.0.0.1:5123/x?y=1"), uri);
    }

    [Fact]
    public async Task HttpsPlusHttpPrefersHttpsWhenBothAreConfigured()
    {
        var uri = await SendAsync("https+http://api/x", new()
        {
            ["services:api:http:0"] = "http://127.0.0.1:5123",
            ["services:api:https:0"] = "https://127.0.0.1:5124",
        });
        Assert.Equal(new Uri("https://127.0.0.1:5124/x"), uri);
    }

    [Fact]
    public async Task HttpsPlusHttpFallsBackToHttp()
    {
        var uri = await SendAsync("https+http://api/x", new() { ["services:api:http:0"] = "http://127.0.0.1:5123" });
        Assert.Equal(new Uri("http://127.0.0.1:5123/x"), uri);
    }

    [Fact]
    public async Task UnknownHostPassesThroughUnchanged()
    {
        var uri = await SendAsync("http://example.com/x", new() { ["services:api:http:0"] = "http://127.0.0.1:5123" });
        Assert.Equal(new Uri("http://example.com/x"), uri);
    }

    [Fact]
    public async Task EnvironmentVariableStyleKeysAreHonoured()
    {
        // services__api__http__0 becomes services:api:http:0 in the environment provider; "__" is the separator.
        var key = "services__envtestsvc__http__0";
        Environment.SetEnvironmentVariable(key, "http://127.0.0.1:5125");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            Assert.Equal(new Uri("http://127.0.0.1:5125"), new ConfigurationEndpointResolver(configuration).Resolve(new Uri("http://envtestsvc")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(key, null);
        }
    }

    private static async Task<Uri?> SendAsync(string address, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var network = new RecordingHandler();
        using var invoker = new HttpMessageInvoker(new ServiceDiscoveryHandler(new ConfigurationEndpointResolver(configuration)) { InnerHandler = network });
        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, address), CancellationToken.None).WaitAsync(s_deadline);
        return Assert.Single(network.Requests).Uri;
    }
}
