using System.Net.Http.Json;
using LiveAspire.Contracts.Channels;
using LiveAspire.Contracts.Paging;
using LiveAspire.Contracts.Platform;

namespace LiveAspire.Web.ApiClient;

/// <summary>What the home page shows, fetched from Api in one go.</summary>
public sealed record HomeSnapshot(PlatformInfo Platform, KeysetPage<LiveChannel> LiveChannels);

/// <summary>Server-side calls to Api (<c>http://api</c>, resolved by service discovery).</summary>
public sealed partial class LiveApiClient(HttpClient http, ILogger<LiveApiClient> logger)
{
    private const string PageTag = "liveaspire.page";
    private const string HomePage = "home";

    /// <summary>Platform facts and the first page of live channels; null when Api cannot be reached or fails.</summary>
    public async Task<HomeSnapshot?> TryGetHomeAsync(CancellationToken cancellationToken = default)
    {
        using var activity = WebTelemetry.Source.StartActivity(WebTelemetry.PageDataSpan);
        activity?.SetTag(PageTag, HomePage);
        try
        {
            // Both requests in flight at once: the page waits for the slower one, not for the sum.
            var platform = http.GetFromJsonAsync<PlatformInfo>("/api/platform", cancellationToken);
            var channels = http.GetFromJsonAsync<KeysetPage<LiveChannel>>("/api/channels/live?limit=20", cancellationToken);
            await Task.WhenAll(platform, channels);
            return new HomeSnapshot(platform.Result!, channels.Result!);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            LogApiUnavailable(logger, http.BaseAddress, ex.Message);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            WebTelemetry.ApiUnavailable.Add(1, new KeyValuePair<string, object?>(PageTag, HomePage));
            return null;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Api at {BaseAddress} unavailable for the home page: {Reason}")]
    private static partial void LogApiUnavailable(ILogger logger, Uri? baseAddress, string reason);
}
