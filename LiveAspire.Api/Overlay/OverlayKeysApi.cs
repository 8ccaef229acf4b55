namespace LiveAspire.Api.Overlay;

/// <summary>
/// Overlay keys: the performer creates and rotates them (the secret is answered once and only its hash is kept);
/// the performer or an admin lists and revokes them. <c>POST /api/overlay/token</c> exchanges an active key for a
/// short-lived overlay token. Keys are never logged: they travel only in bodies, which are not logged.
/// </summary>
public static class OverlayKeysApi
{
    /// <summary>Prefix that makes a leaked key recognisable to secret scanners.</summary>
    public const string KeyPrefix = "lao_";

    public static RouteGroupBuilder MapOverlayApi(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("/channels/{id:guid}/overlay-keys").WithTags("Overlay").RequireAuthorization();
        keys.MapGet("", ListOverlayKeys).WithName(nameof(ListOverlayKeys));
        keys.MapPost("", CreateOverlayKey).WithName(nameof(CreateOverlayKey));
        keys.MapPost("/{keyId:guid}/rotate", RotateOverlayKey).WithName(nameof(RotateOverlayKey));
        keys.MapPost("/{keyId:guid}/revoke", RevokeOverlayKey).WithName(nameof(RevokeOverlayKey));

        // Anonymous by design: the key is the credential (256 random bits). Guessing is hopeless, yet each try costs a
        // query, so the exchange is limited per client address all the same.
        var token = api.MapGroup("/overlay").WithTags("Overlay").AllowAnonymous().RequireRateLimiting(AccountsExtensions.OverlayTokenRateLimit);
        token.MapPost("/token", ExchangeOverlayKey).WithName(nameof(ExchangeOverlayKey));
        return keys;
    }

    public static async Task<Results<Ok<List<OverlayKeyDto>>, ProblemHttpResult>> ListOverlayKeys(
        Guid id, ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: true, cancellationToken);
        if (channel is null)
        {
            return problem!;
        }
        var keys = await db.OverlayKeys.AsNoTracking().Where(k => k.ChannelId == id).OrderByDescending(k => k.CreatedAt).Take(100).ToListAsync(cancellationToken);
        return TypedResults.Ok(keys.Select(k => k.ToDto()).ToList());
    }

    /// <summary>The performer only: the answer carries the secret, which an admin has no business holding.</summary>
    public static async Task<Results<Created<OverlayKeySecret>, ProblemHttpResult>> CreateOverlayKey(
        Guid id, ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: false, cancellationToken);
        if (channel is null)
        {
            return problem!;
        }
        var (key, secret) = NewKey(id, rotatedFrom: null);
        db.OverlayKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/channels/{id:D}/overlay-keys", Secret(key, secret, db));
    }

    /// <summary>Revokes the key and answers its successor, in one transaction; tokens of the old key stop working.</summary>
    public static async Task<Results<Created<OverlayKeySecret>, ProblemHttpResult>> RotateOverlayKey(
        Guid id, Guid keyId, ClaimsPrincipal user, LiveDbContext db, OverlayKeyRevoker revoker, CancellationToken cancellationToken)
    {
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: false, cancellationToken);
        if (channel is null)
        {
            return problem!;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await RevokeRowAsync(db, id, keyId, cancellationToken) is { } failure)
        {
            return failure;
        }
        var (key, secret) = NewKey(id, rotatedFrom: keyId);
        db.OverlayKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await revoker.AfterCommitAsync(keyId);
        return TypedResults.Created($"/api/channels/{id:D}/overlay-keys", Secret(key, secret, db));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeOverlayKey(
        Guid id, Guid keyId, ClaimsPrincipal user, LiveDbContext db, OverlayKeyRevoker revoker, CancellationToken cancellationToken)
    {
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: true, cancellationToken);
        if (channel is null)
        {
            return problem!;
        }
        if (await RevokeRowAsync(db, id, keyId, cancellationToken) is { } failure)
        {
            return failure;
        }
        await revoker.AfterCommitAsync(keyId);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<OverlayTokenResponse>, ValidationProblem, ProblemHttpResult>> ExchangeOverlayKey(
        OverlayTokenRequest request, LiveDbContext db, AccessTokenIssuer issuer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Key))
        {
            return ApiProblems.Validation("key", "key is required.");
        }
        var hash = LooksLikeKey(request.Key) ? SecureTokens.Hash(request.Key) : null;
        var key = hash is null ? null : await db.OverlayKeys.AsNoTracking()
            .Where(k => k.KeyHash == hash && k.RevokedAt == null).Select(k => new { k.Id, k.ChannelId }).FirstOrDefaultAsync(cancellationToken);
        if (key is null)
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, ApiErrorCodes.OverlayKeyInvalid, "The overlay key is unknown, revoked or rotated.");
        }
        var token = issuer.IssueOverlay(key.Id, key.ChannelId);
        return TypedResults.Ok(new OverlayTokenResponse(token.Token, token.ExpiresAt, key.ChannelId));
    }

    private static async Task<ProblemHttpResult?> RevokeRowAsync(LiveDbContext db, Guid channelId, Guid keyId, CancellationToken cancellationToken)
    {
        var revoked = await db.OverlayKeys.Where(k => k.Id == keyId && k.ChannelId == channelId && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, _ => DateTimeOffset.UtcNow), cancellationToken);
        if (revoked > 0)
        {
            return null;
        }
        return await db.OverlayKeys.AnyAsync(k => k.Id == keyId && k.ChannelId == channelId, cancellationToken)
            ? ApiProblems.Problem(StatusCodes.Status409Conflict, ApiErrorCodes.OverlayKeyInactive, "This key was already revoked or rotated.")
            : ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.OverlayKeyNotFound, "This channel has no overlay key with this id.");
    }

    private static (OverlayKey Key, string Secret) NewKey(Guid channelId, Guid? rotatedFrom)
    {
        var (token, _) = SecureTokens.Create();
        var secret = KeyPrefix + token;
        return (new OverlayKey { Id = Guid.CreateVersion7(), ChannelId = channelId, KeyHash = SecureTokens.Hash(secret), RotatedFrom = rotatedFrom }, secret);
    }

    private static OverlayKeySecret Secret(OverlayKey key, string secret, LiveDbContext db)
        => new(key.Id, key.ChannelId, secret, db.Entry(key).Property(k => k.CreatedAt).CurrentValue, key.RotatedFrom);

    private static bool LooksLikeKey(string key) => key.StartsWith(KeyPrefix, StringComparison.Ordinal) && SecureTokens.LooksValid(key[KeyPrefix.Length..]);
}
