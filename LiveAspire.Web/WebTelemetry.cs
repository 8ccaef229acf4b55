using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LiveAspire.Web;

/// <summary>
/// Web's own <see cref="ActivitySource"/> and <see cref="Meter"/>, both <c>LiveAspire.Web</c> (ServiceDefaults subscribes
/// to <c>LiveAspire.*</c>). Requests and the calls to Api are traced by the instrumentation; these add what a page
/// needed from Api and how often it had to do without. docs/telemetry.md lists them and a test fails when one disappears.
/// </summary>
public static class WebTelemetry
{
    public const string Name = "LiveAspire.Web";

    /// <summary>Span: the Api calls one page render waits for, made together (their HTTP spans are its children).</summary>
    public const string PageDataSpan = "page.data";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Page renders that showed "unavailable" because Api could not be reached or failed, by page.</summary>
    public static readonly Counter<long> ApiUnavailable = Meter.CreateCounter<long>("liveaspire.web.api_unavailable",
        "{render}", "Page renders that could not get their data from Api and showed it unavailable");
}
