using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LiveAspire.ServiceDefaults.SecurityHeaders;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LiveAspire.Tests.ServiceDefaults.SecurityHeaders;

/// <summary>
/// The middleware on a real Kestrel with an http and a TLS endpoint (a throwaway self-signed certificate), behind the
/// exception handler as the services use it.
/// </summary>
public sealed class SecurityHeadersTests
{
    private const string Policy = "default-src 'self'";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private sealed class Host(WebApplication app, Uri http, Uri https) : IAsyncDisposable
    {
        public HttpClient Http { get; } = new() { BaseAddress = http, Timeout = Deadline };

        // The certificate is this test's own; the client need not trust it.
        public HttpClient Https { get; } = new(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
            { BaseAddress = https, Timeout = Deadline };

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            Https.Dispose();
            await app.StopAsync().WaitAsync(Deadline);
            await app.DisposeAsync();
        }
    }

    private static async Task<Host> StartAsync(string environment, Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.Services.AddProblemDetails();
        var certificate = SelfSigned();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        var app = builder.Build();
        app.UseSecurityHeaders(new SecurityHeadersPolicy { ContentSecurityPolicy = Policy, EmbeddablePaths = ["/overlay"] });
        app.UseExceptionHandler();
        app.MapGet("/page", () => "page");
        app.MapGet("/overlay/{id}", (string id) => id);
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("a bug"));
        await app.StartAsync().WaitAsync(Deadline);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        return new Host(app, addresses.Single(a => a.Scheme == "http"), addresses.Single(a => a.Scheme == "https"));
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PKCS#12, so the private key is one SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task HstsIsSentOverTlsAndNeverOverHttp()
    {
        await using var host = await StartAsync("Production");

        using var overTls = await host.Https.GetAsync("/page");
        using var overHttp = await host.Http.GetAsync("/page");

        Assert.Equal(HttpStatusCode.OK, overTls.StatusCode);
        Assert.Equal(["max-age=31536000"], overTls.Headers.GetValues("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, overHttp.StatusCode);
        overHttp.AssertSecurityHeaders(Policy);
    }

    [Fact]
    public async Task DevelopmentSendsNoHstsEvenOverTls()
    {
        await using var host = await StartAsync("Development");

        using var overTls = await host.Https.GetAsync("/page");

        Assert.Equal(HttpStatusCode.OK, overTls.StatusCode);
        Assert.False(overTls.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains("Content-Security-Policy", overTls.Headers.Select(h => h.Key));
    }

    [Fact]
    public async Task AFailedRequestAndAnUnknownPathCarryTheHeadersToo()
    {
        await using var host = await StartAsync("Testing");

        using var failed = await host.Http.GetAsync("/boom");
        using var unknown = await host.Http.GetAsync("/nothing-here");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        failed.AssertSecurityHeaders(Policy);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        unknown.AssertSecurityHeaders(Policy);
    }

    [Fact]
    public async Task AnEmbeddablePathMayBeFramedByTheConfiguredAncestorsOnly()
    {
        await using var byDefault = await StartAsync("Testing");
        await using var configured = await StartAsync("Testing", new() { ["SecurityHeaders:EmbeddableFrameAncestors"] = "https://studio.example 'self'" });

        using var anyone = await byDefault.Http.GetAsync("/overlay/abc");
        using var studio = await configured.Http.GetAsync("/OVERLAY/abc");
        using var elsewhere = await configured.Http.GetAsync("/overlays");

        anyone.AssertSecurityHeaders(Policy, embeddableBy: "*");
        studio.AssertSecurityHeaders(Policy, embeddableBy: "https://studio.example 'self'");
        // A whole segment only: /overlays is not under /overlay.
        elsewhere.AssertSecurityHeaders(Policy);
    }
}
