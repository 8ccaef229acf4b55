namespace LiveAspire.Contracts.Errors;

/// <summary>
/// The <c>code</c> extension of problem details answered by Api endpoints (docs/errors.md lists them with
/// status and whether a retry can help).
/// </summary>
public static class ApiErrorCodes
{
    /// <summary>400: the request body or a parameter is malformed; <c>errors</c> says which field.</summary>
    public const string ValidationFailed = "validation_failed";

    /// <summary>409: another account has this username.</summary>
    public const string UsernameTaken = "username_taken";

    /// <summary>409: another account has this email address.</summary>
    public const string EmailTaken = "email_taken";

    /// <summary>401: unknown login or wrong password (deliberately the same answer).</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>403: the account is banned.</summary>
    public const string UserBanned = "user_banned";

    /// <summary>401: the refresh token is unknown, expired or its session ended.</summary>
    public const string RefreshInvalid = "refresh_invalid";

    /// <summary>401: an already rotated refresh token was presented again; that device's session is ended.</summary>
    public const string RefreshReused = "refresh_reused";

    /// <summary>400: the verification or reset token is unknown, used or expired.</summary>
    public const string EmailTokenInvalid = "email_token_invalid";

    /// <summary>404: no user has this id.</summary>
    public const string UserNotFound = "user_not_found";

    /// <summary>409: an admin tried to ban themselves or change their own role; a performer tried to follow or moderate their own channel.</summary>
    public const string CannotTargetSelf = "cannot_target_self";

    /// <summary>404: no channel has this id or slug.</summary>
    public const string ChannelNotFound = "channel_not_found";

    /// <summary>409: the caller already owns a channel (one channel per performer).</summary>
    public const string ChannelExists = "channel_exists";

    /// <summary>409: another channel has this slug.</summary>
    public const string SlugTaken = "slug_taken";

    /// <summary>409: the channel already has a live broadcast.</summary>
    public const string StreamAlreadyLive = "stream_already_live";

    /// <summary>409: the channel has no live broadcast to end or update.</summary>
    public const string StreamNotLive = "stream_not_live";

    /// <summary>404: no broadcast (or VOD) has this id.</summary>
    public const string StreamNotFound = "stream_not_found";

    /// <summary>404: the user is not a moderator of this channel.</summary>
    public const string ModeratorNotFound = "moderator_not_found";

    /// <summary>409: an emote with this code already exists in the same scope (the channel, or global).</summary>
    public const string EmoteCodeTaken = "emote_code_taken";

    /// <summary>404: no emote has this id.</summary>
    public const string EmoteNotFound = "emote_not_found";

    /// <summary>404: this channel has no overlay key with this id.</summary>
    public const string OverlayKeyNotFound = "overlay_key_not_found";

    /// <summary>409: the overlay key was already revoked or rotated.</summary>
    public const string OverlayKeyInactive = "overlay_key_inactive";

    /// <summary>401: the overlay key is unknown, revoked or rotated away.</summary>
    public const string OverlayKeyInvalid = "overlay_key_invalid";

    /// <summary>403: the channel does not allow anonymous viewers, so no guest token is issued for it.</summary>
    public const string GuestsNotAllowed = "guests_not_allowed";

    /// <summary>401: no access token, or an invalid, expired or revoked one.</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>403: the token is valid but its role does not allow this.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>404: no such endpoint or resource.</summary>
    public const string NotFound = "not_found";

    /// <summary>405: the endpoint exists but not with this HTTP method.</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>415: the body's content type is not one this endpoint reads (JSON endpoints read <c>application/json</c>).</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>429: too many requests from this client; wait <c>Retry-After</c> seconds.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>500: an unexpected server error (logged with the trace id).</summary>
    public const string InternalError = "internal_error";

    /// <summary>503: PostgreSQL cannot be reached (stopped, restarting); nothing was written, retry after <c>retryAfterMs</c>.</summary>
    public const string DatabaseUnavailable = "database_unavailable";

    /// <summary>503: Redis cannot be reached, so the room publish did not happen; retry after <c>retryAfterMs</c>.</summary>
    public const string RedisUnavailable = "redis_unavailable";
}
