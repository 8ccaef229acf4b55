using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Demo.Api;

/// <summary>
/// The Api calls the demo makes, as any client makes them (<c>http://api</c>, resolved by service discovery; the
/// standard resilience handler of ServiceDefaults around it). Api's per-address limits apply to the demo in full: a
/// 429 (or a 503 while the database restarts) is waited out for its <c>Retry-After</c> and the call is made again,
/// which is how the first run of a big demo spreads its registrations over the registration limit's windows.
/// </summary>
public sealed partial class DemoApi(HttpClient http, DemoMetrics metrics, ILogger<DemoApi> logger)
{
    /// <summary>Longest single wait for a <c>Retry-After</c> (the registration window is 10 minutes).</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromMinutes(15);

    public Task RegisterAsync(string username, string email, string password, CancellationToken cancellationToken)
        => SendAsync<RegisterResponse>(HttpMethod.Post, "/api/auth/register", new RegisterRequest(username, email, password), null, cancellationToken);

    public Task<TokenResponse> LoginAsync(string login, string password, string deviceId, CancellationToken cancellationToken)
        => SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/login", new LoginRequest(login, password, deviceId), null, cancellationToken)!;

    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
        => SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/refresh", new RefreshRequest(refreshToken), null, cancellationToken)!;

    /// <summary>The channel with this slug, or null when there is none.</summary>
    public async Task<ChannelDto?> FindChannelAsync(string slug, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<ChannelDto>(HttpMethod.Get, $"/api/channels/by-slug/{Uri.EscapeDataString(slug)}", null, null, cancellationToken);
        }
        catch (ApiRefusal e) when (e.Code == ApiErrorCodes.ChannelNotFound)
        {
            return null;
        }
    }

    public Task<ChannelDto> CreateChannelAsync(string accessToken, CreateChannelRequest request, CancellationToken cancellationToken)
        => SendAsync<ChannelDto>(HttpMethod.Post, "/api/channels", request, accessToken, cancellationToken)!;

    public Task GoLiveAsync(string accessToken, Guid channelId, StartStreamRequest request, CancellationToken cancellationToken)
        => SendAsync<StreamDto>(HttpMethod.Post, $"/api/channels/{channelId:D}/streams", request, accessToken, cancellationToken);

    public Task UpdateStreamAsync(string accessToken, Guid channelId, UpdateStreamRequest request, CancellationToken cancellationToken)
        => SendAsync<StreamDto>(HttpMethod.Patch, $"/api/channels/{channelId:D}/streams/current", request, accessToken, cancellationToken);

    public Task EndStreamAsync(string accessToken, Guid channelId, CancellationToken cancellationToken)
        => SendAsync<StreamDto>(HttpMethod.Post, $"/api/channels/{channelId:D}/streams/current/end", null, accessToken, cancellationToken);

    /// <summary>The codes of the channel's own emotes.</summary>
    public async Task<IReadOnlySet<string>> ChannelEmoteCodesAsync(Guid channelId, CancellationToken cancellationToken)
        => (await SendAsync<List<EmoteDto>>(HttpMethod.Get, $"/api/channels/{channelId:D}/emotes", null, null, cancellationToken))!
            .Select(e => e.Code).ToHashSet(StringComparer.Ordinal);

    /// <summary>Uploads a channel emote (the performer): the PNG as the body, the code in the query.</summary>
    public Task UploadEmoteAsync(string accessToken, Guid channelId, string code, byte[] png, CancellationToken cancellationToken)
        => SendAsync<EmoteDto>(HttpMethod.Post, $"/api/channels/{channelId:D}/emotes?code={Uri.EscapeDataString(code)}",
            new PngBody(png), accessToken, cancellationToken);

    public Task<GuestTokenResponse> GuestTokenAsync(Guid channelId, CancellationToken cancellationToken)
        => SendAsync<GuestTokenResponse>(HttpMethod.Post, $"/api/channels/{channelId:D}/guest-token", null, null, cancellationToken)!;

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, object? body, string? accessToken, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is PngBody png)
            {
                request.Content = new ByteArrayContent(png.Bytes);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            }
            else if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }
            if (accessToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            }
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
            }
            var code = await CodeOfAsync(response, cancellationToken);
            metrics.Refused(code);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
                && response.Headers.RetryAfter?.Delta is { } retryAfter)
            {
                var wait = retryAfter < LongestWait ? retryAfter : LongestWait;
                LogWaiting(logger, method.Method, path, (int)response.StatusCode, code, (int)Math.Ceiling(wait.TotalSeconds));
                await Task.Delay(wait, cancellationToken);
                continue;
            }
            throw new ApiRefusal($"{method.Method} {path}", (int)response.StatusCode, code);
        }
    }

    /// <summary>A body sent as it is, <c>image/png</c>.</summary>
    private sealed record PngBody(byte[] Bytes);

    /// <summary>The problem's <c>code</c>; <c>internal_error</c> when the body is not problem details.</summary>
    private static async Task<string> CodeOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()!
                : ApiErrorCodes.InternalError;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return ApiErrorCodes.InternalError;
        }
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information,
        Message = "Api answered {Status} {Code} to {Method} {Path}; asking again in {Seconds} s (the demo keeps to the per-address limits like any client)")]
    private static partial void LogWaiting(ILogger logger, string method, string path, int status, string code, int seconds);
}
