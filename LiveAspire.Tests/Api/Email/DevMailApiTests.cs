using LiveAspire.Api.Data;
using LiveAspire.Api.Email;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveAspire.Tests.Api.Email;

/// <summary>
/// The development mailbox holds live verification and reset tokens: it exists only in Development and Testing, and
/// even there answers only callers on this machine. Built with Api's own mapping, in each environment.
/// </summary>
public sealed class DevMailApiTests
{
    [Theory]
    [InlineData("Production", false)]
    [InlineData("Staging", false)]
    [InlineData("Development", true)]
    [InlineData("Testing", true)]
    public async Task TheMailboxIsMappedOnlyInDevelopmentAndTesting(string environment, bool mapped)
    {
        await using var app = Build(environment);

        Assert.Equal(mapped, MailboxEndpoint(app) is not null);
    }

    [Theory]
    [InlineData("127.0.0.1", StatusCodes.Status400BadRequest)] // reached the handler: no "to" given
    [InlineData("::1", StatusCodes.Status400BadRequest)]
    [InlineData("10.0.0.5", StatusCodes.Status404NotFound)]
    [InlineData("203.0.113.9", StatusCodes.Status404NotFound)]
    [InlineData("::ffff:192.0.2.1", StatusCodes.Status404NotFound)]
    public async Task OnlyACallerOnThisMachineReachesIt(string peer, int status)
    {
        await using var app = Build("Development");
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        context.Request.Method = "GET";

        await MailboxEndpoint(app)!.RequestDelegate!(context);

        Assert.Equal(status, context.Response.StatusCode);
    }

    private static WebApplication Build(string environment)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        // Never opened: the requests here are answered before any query.
        builder.Services.AddDbContext<LiveDbContext>(options => options.UseNpgsql("Host=127.0.0.1;Database=unused"));
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.MapGroup("/api").MapDevMailApi();
        return app;
    }

    private static RouteEndpoint? MailboxEndpoint(WebApplication app) =>
        ((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SingleOrDefault(e => e.RoutePattern.RawText?.TrimEnd('/') == "/api/dev/mail");
}
