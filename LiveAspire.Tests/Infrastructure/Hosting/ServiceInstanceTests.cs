using LiveAspire.Infrastructure.Hosting;
using Xunit;

namespace LiveAspire.Tests.Infrastructure.Hosting;

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
