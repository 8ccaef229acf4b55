using Microsoft.AspNetCore.Components;

namespace LiveAspire.Tests.Web;

/// <summary>Every page of the site, read from its components' <c>@page</c> routes, and the overlay's path.</summary>
public static class WebPages
{
    /// <summary>
    /// The address to visit for each route. A route with parameters needs a sample here; a page added without one
    /// fails the tests that visit every page rather than being skipped. <paramref name="streamSlug"/> is an existing
    /// channel's slug (<see cref="StreamChannels.CreateAsync"/>), so the stream page renders the channel, not its 404.
    /// </summary>
    private static Dictionary<string, string> Samples(string streamSlug) => new(StringComparer.Ordinal)
    {
        ["/c/{Slug}"] = $"/c/{streamSlug}",
        ["/c/{Slug}/chat"] = $"/c/{streamSlug}/chat",
    };

    public static IReadOnlyList<string> All(string streamSlug)
    {
        var samples = Samples(streamSlug);
        var routes = typeof(LiveAspire.Web.WebSecurityHeaders).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), inherit: false).Cast<RouteAttribute>())
            .Select(r => r.Template).Distinct().OrderBy(t => t, StringComparer.Ordinal).ToList();
        var pages = routes.Select(r => r.Contains('{', StringComparison.Ordinal)
            ? samples.TryGetValue(r, out var sample) ? sample : throw new InvalidOperationException($"route {r} has no sample address in WebPages")
            : r).ToList();
        // The overlay's path is embeddable whether or not a page is routed there yet.
        if (!pages.Any(p => p.StartsWith(LiveAspire.Web.WebSecurityHeaders.OverlayPath, StringComparison.Ordinal)))
        {
            pages.Add(LiveAspire.Web.WebSecurityHeaders.OverlayPath);
        }
        return pages;
    }
}
