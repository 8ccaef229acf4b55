using System.Net;
using System.Text.RegularExpressions;
using LiveAspire.Contracts.Accounts;

namespace LiveAspire.Web.Components.Account;

/// <summary>
/// The development mailbox as the site shows it (<c>/dev/mail</c>): only in Development and Testing, and only to a
/// browser on this machine, as Api's <c>GET /api/dev/mail</c> answers only loopback callers. Web is such a caller
/// for everyone, so without this rule the page would hand any visitor anyone's reset links. Scoped: it reads the
/// request's peer address.
/// </summary>
public sealed partial class DevMailbox(IHostEnvironment environment, IHttpContextAccessor contexts)
{
    public const string Path = "/dev/mail";

    /// <summary>Whether this request may see the mailbox (and pages may link to it).</summary>
    public bool IsAvailable => (environment.IsDevelopment() || environment.IsEnvironment("Testing"))
        && contexts.HttpContext?.Connection.RemoteIpAddress is { } peer && IPAddress.IsLoopback(peer);

    public static string PathFor(string address) => $"{Path}?to={Uri.EscapeDataString(address)}";

    /// <summary>
    /// The page a mail's token opens (verify or reset), read from the mail's <c>Token:</c> line and its subject; null
    /// for a mail of another kind.
    /// </summary>
    public static string? LinkFor(DevMailMessage mail)
    {
        var token = MailToken().Match(mail.Body);
        if (!token.Success)
        {
            return null;
        }
        var escaped = Uri.EscapeDataString(token.Groups[1].Value);
        if (mail.Subject.Contains("Confirm", StringComparison.OrdinalIgnoreCase))
        {
            return $"/verify-email?token={escaped}";
        }
        return mail.Subject.Contains("Reset", StringComparison.OrdinalIgnoreCase) ? $"/password-reset/confirm?token={escaped}" : null;
    }

    [GeneratedRegex(@"^Token: (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex MailToken();
}
