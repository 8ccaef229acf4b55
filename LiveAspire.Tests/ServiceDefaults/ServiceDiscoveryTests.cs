using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LiveAspire.Tests.ServiceDefaults;

/// <summary>Service discovery as AddServiceDefaults wires it: Aspire's <c>services:{name}:{endpoint}:{index}</c> keys.</summary>
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
            Assert.Equal(new Uri("http://127.0.0.1:5125/"), await SendAsync("http://envtestsvc/", []));
        }
        finally
        {
            Environment.SetEnvironmentVariable(key, null);
        }
    }

    private static async Task<Uri?> SendAsync(string address, Dictionary<string, string?> settings)
    {
        // The application builder reads environment variables, as a service does.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        var network = new RecordingHandler();
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => network));
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();
        using var response = await client.GetAsync(address).WaitAsync(s_deadline);
        return Assert.Single(network.Requests).Uri;
    }
}
