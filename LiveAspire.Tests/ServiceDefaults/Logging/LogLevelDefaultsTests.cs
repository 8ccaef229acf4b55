using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LiveAspire.Tests.ServiceDefaults.Logging;

/// <summary>
/// Libraries that log a line per request, per connection or per SQL command start at Warning, so a reconnect storm
/// does not become a log storm; an operator's own setting still brings them back.
/// </summary>
public sealed class LogLevelDefaultsTests
{
    [Theory]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics")]
    [InlineData("Microsoft.AspNetCore.Http.Connections.Internal.HttpConnectionManager")]
    [InlineData("Npgsql.Command")]
    public void ChattyLibraryCategoriesStartAtWarning(string category)
    {
        using var host = Build([]);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(category);
        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void AnOperatorsSettingOverridesTheDefault()
    {
        using var host = Build(new() { ["Logging:LogLevel:Npgsql"] = "Information" });
        Assert.True(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Npgsql.Command").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void OurOwnCategoriesStayAtInformation()
    {
        using var host = Build([]);
        Assert.True(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("LiveAspire.Realtime.Delivery.RoomSync").IsEnabled(LogLevel.Information));
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        return builder.Build();
    }
}
