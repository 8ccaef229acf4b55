using System.Net;
using System.Security.Cryptography;
using System.Text;
using LiveAspire.Contracts.Http;
using Microsoft.Extensions.Options;

namespace LiveAspire.Api.Http;

/// <summary>Section <c>ClientAddress</c>: who may tell Api the address of the client a request is for.</summary>
public sealed class ClientAddressOptions
{
    public const string SectionName = "ClientAddress";

    /// <summary>
    /// The secret Web sends in <see cref="ClientAddressHeaders.Key"/> (<c>ClientAddress:WebKey</c>; the AppHost
    /// generates it and gives it to both). Unset: no caller is believed and every request is its peer's.
    /// </summary>
    public string? WebKey { get; set; }
}

/// <summary>The client address a request counts against, once <see cref="TrustedClientAddress"/> has decided it.</summary>
public sealed record ClientAddressFeature(IPAddress Address, bool ForwardedByWeb);

/// <summary>
/// Decides, once per request, which client a request is for: the peer's own address, or the browser's address Web
/// names in <see cref="ClientAddressHeaders.Address"/>, believed only when the same request carries Web's secret in
/// <see cref="ClientAddressHeaders.Key"/> (compared in constant time). Any other caller's headers are ignored, so
/// nobody else can pick the budget a request is counted in (issue 12 closed the same hole for forwarded headers). The
/// per-address rate limits read <see cref="Of"/>; the development mailbox's loopback rule deliberately does not
/// (it is about who is connected: Web, on this machine).
/// </summary>
public sealed partial class TrustedClientAddress(RequestDelegate next, IOptions<ClientAddressOptions> options, ILogger<TrustedClientAddress> logger)
{
    private readonly byte[]? _webKeyHash = string.IsNullOrEmpty(options.Value.WebKey) ? null : Hash(options.Value.WebKey);

    /// <summary>The address the request counts against (the peer's when nothing was decided, e.g. in a unit host).</summary>
    public static IPAddress? Of(HttpContext context)
        => context.Features.Get<ClientAddressFeature>()?.Address ?? context.Connection.RemoteIpAddress;

    public Task InvokeAsync(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        var forwarded = context.Request.Headers[ClientAddressHeaders.Address];
        var key = context.Request.Headers[ClientAddressHeaders.Key];
        if (forwarded.Count > 0 || key.Count > 0)
        {
            if (IsWeb(key) && forwarded.Count == 1 && IPAddress.TryParse(forwarded[0], out var browser))
            {
                context.Features.Set(new ClientAddressFeature(browser.IsIPv4MappedToIPv6 ? browser.MapToIPv4() : browser, ForwardedByWeb: true));
                return next(context);
            }
            LogIgnored(logger, peer);
        }
        if (peer is not null)
        {
            context.Features.Set(new ClientAddressFeature(peer, ForwardedByWeb: false));
        }
        return next(context);
    }

    private bool IsWeb(Microsoft.Extensions.Primitives.StringValues key)
        // Hashes of equal length, so the comparison takes the same time whatever the length of a guess.
        => _webKeyHash is not null && key.Count == 1 && CryptographicOperations.FixedTimeEquals(Hash(key[0] ?? ""), _webKeyHash);

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Client address headers from {Peer} ignored: the Web key is missing or wrong; the request counts against the peer's address")]
    private static partial void LogIgnored(ILogger logger, IPAddress? peer);
}

public static class ClientAddressExtensions
{
    public static TBuilder AddClientAddress<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<ClientAddressOptions>(builder.Configuration.GetSection(ClientAddressOptions.SectionName));
        return builder;
    }

    public static IApplicationBuilder UseClientAddress(this IApplicationBuilder app) => app.UseMiddleware<TrustedClientAddress>();
}
