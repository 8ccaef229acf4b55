using Microsoft.Extensions.Configuration;
using LiveAspire.Hosting;

namespace LiveAspire.Tests.Hosting;

public class ServiceInstanceTests
{
    [Theory]
    [InlineData("service.instance.id=realtime-0", "realtime-0")]
    [InlineData("service.name=realtime, service.instance.id=realtime-1 ,deployment.environment=test", "realtime-1")]
    [InlineData("service.instance.id=realtime%2D2", "realtime-2")]
    [InlineData("service.name=realtime", null)]
    [InlineData("service.instance.id=", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void InstanceIdIsReadFromOpenTelemetryResourceAttributes(string? attributes, string? expected)
        => Assert.Equal(expected, ServiceInstance.ParseInstanceId(attributes));
}

public class ServiceInstanceIdTests
{
    [Theory]
    [InlineData("service.instance.id=abcd1234", "realtime", "realtime-abcd1234")] // Aspire's bare suffix
    [InlineData("service.instance.id=realtime-abcd1234", "realtime", "realtime-abcd1234")]
    [InlineData("service.instance.id=abcd1234", null, "abcd1234")]
    public void TheIdNamesTheServiceAsTheOrchestratorDoes(string attributes, string? serviceName, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OTEL_RESOURCE_ATTRIBUTES"] = attributes,
            ["OTEL_SERVICE_NAME"] = serviceName,
        }).Build();
        Assert.Equal(expected, ServiceInstance.FromConfiguration(configuration).Id);
    }
}
