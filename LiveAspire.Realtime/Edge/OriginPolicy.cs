namespace LiveAspire.Realtime.Edge;

/// <summary>
/// The origins a browser may open the hub from: the Web origin (<c>services:web:http:0</c>) plus
/// <see cref="EdgeOptions.AllowedOrigins"/>, each reduced to <c>scheme://host[:port]</c> as browsers send it.
/// Matching is exact (ordinal, ignoring case), so a look-alike such as <c>http://127.0.0.1:PORT.evil.com</c> or
/// the opaque <c>null</c> never matches. A loopback origin is allowed under each of its names (<c>localhost</c>,
/// <c>127.0.0.1</c>, <c>[::1]</c>, same scheme and port): Aspire gives the Web address as <c>localhost</c>, and a
/// developer who opens the page as 127.0.0.1 is on the same machine and the same server.
/// </summary>
public sealed class OriginPolicy
{
    /// <summary>Where the Web origin is read from.</summary>
    public const string WebOriginKey = "services:web:http:0";

    private readonly HashSet<string> _allowed;

    public OriginPolicy(IConfiguration configuration, IOptions<EdgeOptions> options)
    {
        _allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var origin in options.Value.AllowedOrigins.Prepend(configuration[WebOriginKey]))
        {
            if (Normalize(origin) is { } normalized)
            {
                _allowed.Add(normalized);
                _allowed.UnionWith(LoopbackNames(normalized));
            }
        }
    }

    public IReadOnlyCollection<string> Allowed => _allowed;

    public bool IsAllowed(string origin) => _allowed.Contains(origin);

    private static readonly string[] Loopback = ["localhost", "127.0.0.1", "[::1]"];

    private static IEnumerable<string> LoopbackNames(string origin)
    {
        var uri = new Uri(origin);
        return Loopback.Contains(uri.Host, StringComparer.OrdinalIgnoreCase)
            ? Loopback.Select(host => Normalize($"{uri.Scheme}://{host}:{uri.Port}")!)
            : [];
    }

    /// <summary><c>scheme://host[:port]</c> of an absolute http(s) address (the default port left out, as in an Origin header).</summary>
    public static string? Normalize(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
