using Microsoft.Extensions.Hosting;

namespace LiveAspire.Tests.ServiceDefaults.Health;

public sealed class HealthEndpointsTests
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task HealthEndpointsAnswer200OnAppWithServiceDefaults(string path)
    {
        await using var app = await TestApp.StartAsync([], b => b.AddServiceDefaults(), a => a.MapDefaultEndpoints());

        using var response = await app.Client.GetAsync(path).WaitAsync(TestApp.Deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync().WaitAsync(TestApp.Deadline)).RootElement;
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("self").GetString());
    }
}
