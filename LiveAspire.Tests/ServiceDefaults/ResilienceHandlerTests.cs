using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LiveAspire.Tests.ServiceDefaults;

public sealed class ResilienceHandlerTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GetThatFailsTwiceWith503SucceedsAfterRetries()
    {
        var network = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var services = BuildServices(network);
        var client = services.Services.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        using var response = await client.GetAsync("http://api/streams").WaitAsync(s_deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, network.Requests.Count);
        // Discovery sits inside the resilience handler, so every attempt was resolved, not only the first.
        Assert.All(network.Requests, r => Assert.Equal(new Uri("http://127.0.0.1:5199/streams"), r.Uri));
    }

    [Fact]
    public async Task PostThatGets503IsNotRetried()
    {
        var network = new RecordingHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        using var services = BuildServices(network);
        var client = services.Services.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        using var response = await client.PostAsync("http://api/tips", new StringContent("{}")).WaitAsync(s_deadline);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(network.Requests);
    }

    [Fact]
    public async Task RequestBodyIsResentIntactOnRetry()
    {
        var network = new RecordingHandler(HttpStatusCode.BadGateway, HttpStatusCode.OK);
        using var services = BuildServices(network);
        var client = services.Services.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        using var request = new HttpRequestMessage(HttpMethod.Put, "http://api/prefs")
        {
            Content = new StringContent("{\"mute\":true}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-Id", "r-1");

        using var response = await client.SendAsync(request).WaitAsync(s_deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, network.Requests.Count);
        Assert.All(network.Requests, r =>
        {
            Assert.Equal("{\"mute\":true}", r.Body);
            Assert.Equal("application/json; charset=utf-8", r.ContentType);
        });
    }

    [Fact]
    public async Task ClientErrorIsNotRetried()
    {
        var network = new RecordingHandler(HttpStatusCode.NotFound, HttpStatusCode.OK);
        using var services = BuildServices(network);
        var client = services.Services.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        using var response = await client.GetAsync("http://api/missing").WaitAsync(s_deadline);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(network.Requests);
    }

    // AddServiceDefaults' own wiring, with the network replaced and retry delays shortened.
    private static IHost BuildServices(RecordingHandler network)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:api:http:0"] = "http://127.0.0.1:5199",
            ["Resilience:Http:Retry:Delay"] = "00:00:00.001",
        });
        builder.AddServiceDefaults();
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => network));
        return builder.Build();
    }
}
