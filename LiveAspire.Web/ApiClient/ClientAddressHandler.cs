using LiveAspire.Contracts.Http;
using Microsoft.Extensions.Options;

namespace LiveAspire.Web.ApiClient;

/// <summary>Section <c>ClientAddress</c> (Web's side): the key that makes Api believe the browser address Web forwards.</summary>
public sealed class ClientAddressOptions
{
    public const string SectionName = "ClientAddress";

    /// <summary>
    /// The secret Api also holds (<c>ClientAddress:WebKey</c>; the AppHost generates it for both). Required: without
    /// it every visitor of the site would share Api's per-address limits (ten logins a minute for everyone).
    /// </summary>
    public string WebKey { get; set; } = "";
}

/// <summary>
/// Adds the browser's address, with Web's key, to every server-side call Web makes to Api while serving a request
/// (docs/accounts.md, "Client address from Web"), so Api's per-address rate limits count each visitor on their own.
/// Outside a request (none yet) nothing is added and Api counts Web itself.
/// </summary>
public sealed class ClientAddressHandler(IHttpContextAccessor contexts, IOptions<ClientAddressOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (contexts.HttpContext?.Connection.RemoteIpAddress is { } browser)
        {
            request.Headers.Remove(ClientAddressHeaders.Address);
            request.Headers.Remove(ClientAddressHeaders.Key);
            request.Headers.TryAddWithoutValidation(ClientAddressHeaders.Address, (browser.IsIPv4MappedToIPv6 ? browser.MapToIPv4() : browser).ToString());
            request.Headers.TryAddWithoutValidation(ClientAddressHeaders.Key, options.Value.WebKey);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
