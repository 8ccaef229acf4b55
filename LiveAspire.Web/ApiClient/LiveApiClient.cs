using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveAspire.Contracts.Accounts;
using LiveAspire.Contracts.Channels;
using LiveAspire.Contracts.Paging;
using LiveAspire.Contracts.Platform;

namespace LiveAspire.Web.ApiClient;

/// <summary>What the home page shows, fetched from Api in one go.</summary>
public sealed record HomeSnapshot(PlatformInfo Platform, KeysetPage<LiveChannel> LiveChannels);

/// <summary>
/// Server-side calls to Api (<c>http://api</c>, resolved by service discovery). Every call carries the browser's
/// address (<see cref="ClientAddressHandler"/>). The methods taking an access token are the user's; pages reach them
/// through <c>CurrentSession.CallAsync</c>, which supplies a fresh token and refreshes it when Api refuses it.
/// </summary>
public sealed partial class LiveApiClient(HttpClient http, ILogger<LiveApiClient> logger)
{
    private const string PageTag = "liveaspire.page";
    private const string HomePage = "home";

    /// <summary>The home page's page of live channels: its first 20 by slug.</summary>
    private const string HomeLivePath = "/api/channels/live?limit=20";

    /// <summary>Platform facts and the first page of live channels; null when Api cannot be reached or fails.</summary>
    public async Task<HomeSnapshot?> TryGetHomeAsync(CancellationToken cancellationToken = default)
    {
        using var activity = WebTelemetry.Source.StartActivity(WebTelemetry.PageDataSpan);
        activity?.SetTag(PageTag, HomePage);
        try
        {
            // Both requests in flight at once: the page waits for the slower one, not for the sum.
            var platform = http.GetFromJsonAsync<PlatformInfo>("/api/platform", cancellationToken);
            var channels = http.GetFromJsonAsync<KeysetPage<LiveChannel>>(HomeLivePath, cancellationToken);
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

    public Task<ApiResult<RegisterResponse>> RegisterAsync(string? username, string? email, string? password, CancellationToken cancellationToken = default)
        => SendAsync<RegisterResponse>(HttpMethod.Post, "/api/auth/register", new RegisterRequest(username, email, password), null, cancellationToken);

    public Task<ApiResult<TokenResponse>> LoginAsync(string? login, string? password, string deviceId, CancellationToken cancellationToken = default)
        => SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/login", new LoginRequest(login, password, deviceId), null, cancellationToken);

    /// <summary>Rotates the refresh token: the one sent works once. Call it only under the session's row lock (SessionTokens).</summary>
    public Task<ApiResult<TokenResponse>> RefreshAsync(string refreshToken, CancellationToken cancellationToken = default)
        => SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/refresh", new RefreshRequest(refreshToken), null, cancellationToken);

    public Task<ApiResult<NoContent>> LogoutAsync(string accessToken, string deviceId, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Post, "/api/auth/logout", new LogoutRequest(deviceId), accessToken, cancellationToken);

    public Task<ApiResult<NoContent>> LogoutAllAsync(string accessToken, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Post, "/api/auth/logout-all", null, accessToken, cancellationToken);

    public Task<ApiResult<NoContent>> VerifyEmailAsync(string? token, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Post, "/api/auth/verify-email", new VerifyEmailRequest(token), null, cancellationToken);

    public Task<ApiResult<NoContent>> RequestPasswordResetAsync(string? email, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Post, "/api/auth/password-reset", new PasswordResetRequest(email), null, cancellationToken);

    public Task<ApiResult<NoContent>> ConfirmPasswordResetAsync(string? token, string? newPassword, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Post, "/api/auth/password-reset/confirm", new PasswordResetConfirmRequest(token, newPassword), null, cancellationToken);

    public Task<ApiResult<MeResponse>> GetMeAsync(string accessToken, CancellationToken cancellationToken = default)
        => SendAsync<MeResponse>(HttpMethod.Get, "/api/me", null, accessToken, cancellationToken);

    /// <summary>The first 50 channels the user follows, newest follow first.</summary>
    public Task<ApiResult<KeysetPage<FollowedChannelDto>>> GetMyFollowsAsync(string accessToken, CancellationToken cancellationToken = default)
        => SendAsync<KeysetPage<FollowedChannelDto>>(HttpMethod.Get, "/api/me/follows?limit=50", null, accessToken, cancellationToken);

    /// <summary>The home page's live channels again (the counts' refresh, <c>/home/viewers</c>).</summary>
    public Task<ApiResult<KeysetPage<LiveChannel>>> GetHomeLiveChannelsAsync(CancellationToken cancellationToken = default)
        => SendAsync<KeysetPage<LiveChannel>>(HttpMethod.Get, HomeLivePath, null, null, cancellationToken);

    /// <summary>The live channels the user follows (the home page lists them first).</summary>
    public Task<ApiResult<List<LiveChannel>>> GetMyLiveFollowsAsync(string accessToken, CancellationToken cancellationToken = default)
        => SendAsync<List<LiveChannel>>(HttpMethod.Get, "/api/me/follows/live", null, accessToken, cancellationToken);

    public Task<ApiResult<NoContent>> FollowAsync(string accessToken, Guid channelId, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Put, $"/api/channels/{channelId}/follow", null, accessToken, cancellationToken);

    public Task<ApiResult<NoContent>> UnfollowAsync(string accessToken, Guid channelId, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Delete, $"/api/channels/{channelId}/follow", null, accessToken, cancellationToken);

    public Task<ApiResult<ChannelDto>> GetChannelAsync(Guid channelId, CancellationToken cancellationToken = default)
        => SendAsync<ChannelDto>(HttpMethod.Get, $"/api/channels/{channelId}", null, null, cancellationToken);

    /// <summary>A channel by its slug (the stream page's address): 404 <c>channel_not_found</c> for an unknown or malformed slug.</summary>
    public Task<ApiResult<ChannelDto>> GetChannelBySlugAsync(string slug, CancellationToken cancellationToken = default)
        => SendAsync<ChannelDto>(HttpMethod.Get, $"/api/channels/by-slug/{Uri.EscapeDataString(slug)}", null, null, cancellationToken);

    /// <summary>A page of a channel's chat history, newest first, as Api answers it (passed on to the page's script as it is).</summary>
    public Task<ApiResult<JsonElement>> GetChatHistoryAsync(Guid channelId, Guid? before, CancellationToken cancellationToken = default)
        => SendAsync<JsonElement>(HttpMethod.Get, $"/api/channels/{channelId}/chat?limit=50" + (before is { } b ? $"&before={b:D}" : ""), null, null, cancellationToken);

    /// <summary>An emote's image (<c>GET /api/emotes/{id}/image</c>): its bytes and type, or null when there is none or Api cannot be reached.</summary>
    public async Task<(byte[] Bytes, string ContentType)?> GetEmoteImageAsync(Guid emoteId, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await http.GetAsync($"/api/emotes/{emoteId:D}/image", cancellationToken);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType is not { } type)
            {
                return null;
            }
            return (await response.Content.ReadAsByteArrayAsync(cancellationToken), type);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // unreachable, timed out, circuit open: the image is left out, its code shows instead
        }
    }

    /// <summary>The signed-in user's roles in one channel (owner, follower...): the stream page's follow button starts from it.</summary>
    public Task<ApiResult<ChannelRolesDto>> GetMyRolesAsync(string accessToken, Guid channelId, CancellationToken cancellationToken = default)
        => SendAsync<ChannelRolesDto>(HttpMethod.Get, $"/api/channels/{channelId}/roles/me", null, accessToken, cancellationToken);

    /// <summary>
    /// A guest token of one channel for an anonymous viewer (403 <c>guests_not_allowed</c>, 404, 429 per client
    /// address: the browser's, which <see cref="ClientAddressHandler"/> forwards).
    /// </summary>
    public Task<ApiResult<GuestTokenResponse>> GetGuestTokenAsync(Guid channelId, CancellationToken cancellationToken = default)
        => SendAsync<GuestTokenResponse>(HttpMethod.Post, $"/api/channels/{channelId}/guest-token", null, null, cancellationToken);

    /// <summary>
    /// A page of the directory (<c>GET /api/channels</c>): channels whose name or slug contains <paramref name="q"/>,
    /// of exactly <paramref name="category"/>, after the slug <paramref name="after"/>; 400 <c>validation_failed</c>
    /// for a search Api refuses.
    /// </summary>
    public Task<ApiResult<KeysetPage<ChannelDto>>> SearchChannelsAsync(string? q, string? category, string? after, CancellationToken cancellationToken = default)
    {
        var query = new List<string> { "limit=30" };
        if (!string.IsNullOrWhiteSpace(q)) query.Add($"q={Uri.EscapeDataString(q)}");
        if (!string.IsNullOrWhiteSpace(category)) query.Add($"category={Uri.EscapeDataString(category)}");
        if (!string.IsNullOrEmpty(after)) query.Add($"after={Uri.EscapeDataString(after)}");
        return SendAsync<KeysetPage<ChannelDto>>(HttpMethod.Get, "/api/channels?" + string.Join('&', query), null, null, cancellationToken);
    }

    // The performer's dashboard: the user's own channel, its broadcast, moderators and overlay keys (docs/channels.md).

    /// <summary>The user's own channel; 404 <c>channel_not_found</c> when they have none yet.</summary>
    public Task<ApiResult<ChannelDto>> GetMyChannelAsync(string accessToken, CancellationToken cancellationToken = default)
        => SendAsync<ChannelDto>(HttpMethod.Get, "/api/me/channel", null, accessToken, cancellationToken);

    public Task<ApiResult<ChannelDto>> CreateChannelAsync(string accessToken, CreateChannelRequest request, CancellationToken cancellationToken = default)
        => SendAsync<ChannelDto>(HttpMethod.Post, "/api/channels", request, accessToken, cancellationToken);

    public Task<ApiResult<ChannelDto>> UpdateChannelAsync(string accessToken, Guid channelId, UpdateChannelRequest request, CancellationToken cancellationToken = default)
        => SendAsync<ChannelDto>(HttpMethod.Patch, $"/api/channels/{channelId}", request, accessToken, cancellationToken);

    public Task<ApiResult<JsonElement>> GoLiveAsync(string accessToken, Guid channelId, StartStreamRequest request, CancellationToken cancellationToken = default)
        => SendAsync<JsonElement>(HttpMethod.Post, $"/api/channels/{channelId}/streams", request, accessToken, cancellationToken);

    public Task<ApiResult<JsonElement>> UpdateStreamAsync(string accessToken, Guid channelId, UpdateStreamRequest request, CancellationToken cancellationToken = default)
        => SendAsync<JsonElement>(HttpMethod.Patch, $"/api/channels/{channelId}/streams/current", request, accessToken, cancellationToken);

    public Task<ApiResult<JsonElement>> EndStreamAsync(string accessToken, Guid channelId, CancellationToken cancellationToken = default)
        => SendAsync<JsonElement>(HttpMethod.Post, $"/api/channels/{channelId}/streams/current/end", null, accessToken, cancellationToken);

    public Task<ApiResult<List<ModeratorDto>>> ListModeratorsAsync(string accessToken, Guid channelId, CancellationToken cancellationToken = default)
        => SendAsync<List<ModeratorDto>>(HttpMethod.Get, $"/api/channels/{channelId}/moderators", null, accessToken, cancellationToken);

    public Task<ApiResult<NoContent>> AppointModeratorAsync(string accessToken, Guid channelId, Guid userId, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Put, $"/api/channels/{channelId}/moderators/{userId}", null, accessToken, cancellationToken);

    public Task<ApiResult<NoContent>> RemoveModeratorAsync(string accessToken, Guid channelId, Guid userId, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Delete, $"/api/channels/{channelId}/moderators/{userId}", null, accessToken, cancellationToken);

    /// <summary>A user by exact username (public fields only): the dashboard appoints moderators by name.</summary>
    public Task<ApiResult<PublicUser>> FindUserByNameAsync(string accessToken, string username, CancellationToken cancellationToken = default)
        => SendAsync<PublicUser>(HttpMethod.Get, $"/api/users/by-name/{Uri.EscapeDataString(username)}", null, accessToken, cancellationToken);

    public Task<ApiResult<List<OverlayKeyDto>>> ListOverlayKeysAsync(string accessToken, Guid channelId, CancellationToken cancellationToken = default)
        => SendAsync<List<OverlayKeyDto>>(HttpMethod.Get, $"/api/channels/{channelId}/overlay-keys", null, accessToken, cancellationToken);

    /// <summary>A new overlay key: the only answer that carries its secret.</summary>
    public Task<ApiResult<OverlayKeySecret>> CreateOverlayKeyAsync(string accessToken, Guid channelId, CancellationToken cancellationToken = default)
        => SendAsync<OverlayKeySecret>(HttpMethod.Post, $"/api/channels/{channelId}/overlay-keys", null, accessToken, cancellationToken);

    /// <summary>Replaces a key with a new one (the old stops working at once); the only answer that carries the new secret.</summary>
    public Task<ApiResult<OverlayKeySecret>> RotateOverlayKeyAsync(string accessToken, Guid channelId, Guid keyId, CancellationToken cancellationToken = default)
        => SendAsync<OverlayKeySecret>(HttpMethod.Post, $"/api/channels/{channelId}/overlay-keys/{keyId}/rotate", null, accessToken, cancellationToken);

    // Administration (admins only; Api checks the role in the token).

    /// <summary>Users whose username or email starts with <paramref name="q"/> (<c>GET /api/admin/users</c>).</summary>
    public Task<ApiResult<KeysetPage<AdminUser>>> SearchUsersAsync(string accessToken, string q, string? after, CancellationToken cancellationToken = default)
        => SendAsync<KeysetPage<AdminUser>>(HttpMethod.Get,
            $"/api/admin/users?limit=50&q={Uri.EscapeDataString(q)}{(string.IsNullOrEmpty(after) ? "" : $"&after={Uri.EscapeDataString(after)}")}",
            null, accessToken, cancellationToken);

    public Task<ApiResult<NoContent>> BanAsync(string accessToken, Guid userId, string? reason, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Post, $"/api/admin/users/{userId}/ban", new BanRequest(reason), accessToken, cancellationToken);

    public Task<ApiResult<NoContent>> UnbanAsync(string accessToken, Guid userId, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Post, $"/api/admin/users/{userId}/unban", null, accessToken, cancellationToken);

    public Task<ApiResult<NoContent>> ChangeRoleAsync(string accessToken, Guid userId, string role, CancellationToken cancellationToken = default)
        => SendAsync<NoContent>(HttpMethod.Put, $"/api/admin/users/{userId}/role", new RoleChangeRequest(role), accessToken, cancellationToken);

    /// <summary>An announcement into one room or every live stream room; a retry with the same id adds nothing.</summary>
    public Task<ApiResult<LiveAspire.Contracts.Announcements.AnnouncementResponse>> AnnounceAsync(string accessToken,
        LiveAspire.Contracts.Announcements.AnnouncementRequest request, CancellationToken cancellationToken = default)
        => SendAsync<LiveAspire.Contracts.Announcements.AnnouncementResponse>(HttpMethod.Post, "/api/admin/announcements", request, accessToken, cancellationToken);

    /// <summary>The development mailbox (Development and Testing; Api answers loopback callers only, which Web is).</summary>
    public Task<ApiResult<List<DevMailMessage>>> GetDevMailAsync(string? to, CancellationToken cancellationToken = default)
        => SendAsync<List<DevMailMessage>>(HttpMethod.Get, $"/api/dev/mail?to={Uri.EscapeDataString(to ?? "")}", null, null, cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, string? accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return ApiResult<T>.Failed(await ApiProblem.ReadAsync(response, cancellationToken));
            }
            if (typeof(T) == typeof(NoContent))
            {
                return ApiResult<T>.Ok(default!);
            }
            var value = await response.Content.ReadFromJsonAsync<T>(cancellationToken);
            return value is null ? ApiResult<T>.Failed(ApiProblem.Unavailable("Api answered an empty body.")) : ApiResult<T>.Ok(value);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException
            or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            // The caller's own cancellation (the browser went away) is not an outage.
            cancellationToken.ThrowIfCancellationRequested();
            LogCallFailed(logger, method.Method, path.Split('?')[0], ex.Message);
            return ApiResult<T>.Failed(ApiProblem.Unavailable(ex.Message));
        }
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Api call {Method} {Path} failed: {Reason}")]
    private static partial void LogCallFailed(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Api at {BaseAddress} unavailable for the home page: {Reason}")]
    private static partial void LogApiUnavailable(ILogger logger, Uri? baseAddress, string reason);
}
