using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace LiveAspire.Api.Emotes;

/// <summary>
/// Global emotes (admins) and channel emotes (the performer or an admin). Uploads are the raw image as the body
/// (<c>?code=</c> in the query); the type comes from the image's magic bytes, never from the client's header.
/// Images never change under an id (there is no replace), so they are served as immutable with a strong ETag.
/// </summary>
public static class EmotesApi
{
    /// <summary>How long clients and shared caches may keep an image without asking again.</summary>
    public static readonly TimeSpan ImageMaxAge = TimeSpan.FromDays(7);

    public static RouteGroupBuilder MapEmotesApi(this IEndpointRouteBuilder api)
    {
        var reads = api.MapGroup("").WithTags("Emotes").AllowAnonymous();
        reads.MapGet("/emotes", ListGlobalEmotes).WithName(nameof(ListGlobalEmotes));
        reads.MapGet("/channels/{id:guid}/emotes", ListChannelEmotes).WithName(nameof(ListChannelEmotes));
        reads.MapGet("/emotes/{emoteId:guid}/image", GetEmoteImage).WithName(nameof(GetEmoteImage));

        var writes = api.MapGroup("").WithTags("Emotes").RequireAuthorization();
        writes.MapPost("/channels/{id:guid}/emotes", UploadChannelEmote).WithName(nameof(UploadChannelEmote))
            .Accepts<byte[]>("image/png", "image/gif", "image/webp");
        writes.MapDelete("/emotes/{emoteId:guid}", DeleteEmote).WithName(nameof(DeleteEmote));

        var admin = api.MapGroup("/admin/emotes").WithTags("Emotes").RequireAuthorization(AccountsExtensions.AdminPolicy);
        admin.MapPost("", UploadGlobalEmote).WithName(nameof(UploadGlobalEmote)).Accepts<byte[]>("image/png", "image/gif", "image/webp");
        return writes;
    }

    public static async Task<Ok<List<EmoteDto>>> ListGlobalEmotes(LiveDbContext db, CancellationToken cancellationToken)
        => TypedResults.Ok(await ListAsync(db, null, cancellationToken));

    public static async Task<Results<Ok<List<EmoteDto>>, ProblemHttpResult>> ListChannelEmotes(Guid id, LiveDbContext db, CancellationToken cancellationToken)
        => await db.Channels.AnyAsync(c => c.Id == id, cancellationToken)
            ? TypedResults.Ok(await ListAsync(db, id, cancellationToken))
            : ChannelAccess.NotFound();

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetEmoteImage(
        Guid emoteId, LiveDbContext db, HttpResponse response, CancellationToken cancellationToken)
    {
        var emote = await db.Emotes.AsNoTracking().Where(e => e.Id == emoteId)
            .Select(e => new { e.Image, e.ContentType, e.Sha256 }).FirstOrDefaultAsync(cancellationToken);
        if (emote is null)
        {
            return NotFound();
        }
        response.Headers.CacheControl = $"public, max-age={(int)ImageMaxAge.TotalSeconds}, immutable";
        // With an entity tag the file result answers If-None-Match itself: 304 without a body.
        return TypedResults.Bytes(emote.Image, emote.ContentType, entityTag: new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(emote.Sha256)}\""));
    }

    public static Task<Results<Created<EmoteDto>, ValidationProblem, ProblemHttpResult>> UploadGlobalEmote(
        string? code, HttpRequest request, ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
        => CreateAsync(null, code, request, user, db, cancellationToken);

    public static async Task<Results<Created<EmoteDto>, ValidationProblem, ProblemHttpResult>> UploadChannelEmote(
        Guid id, string? code, HttpRequest request, ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var (channel, problem) = await ChannelAccess.ManageAsync(db, id, user, allowAdmin: true, cancellationToken);
        return channel is null ? problem! : await CreateAsync(id, code, request, user, db, cancellationToken);
    }

    /// <summary>A channel emote: its performer or an admin; a global emote: an admin.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteEmote(
        Guid emoteId, ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var emote = await db.Emotes.AsNoTracking().Where(e => e.Id == emoteId).Select(e => new { e.ChannelId }).FirstOrDefaultAsync(cancellationToken);
        if (emote is null)
        {
            return NotFound();
        }
        var userId = user.UserId();
        var allowed = user.IsAdmin()
            || (emote.ChannelId is { } channelId && await db.Channels.AnyAsync(c => c.Id == channelId && c.OwnerId == userId, cancellationToken));
        if (!allowed)
        {
            return ChannelAccess.Forbidden();
        }
        await db.Emotes.Where(e => e.Id == emoteId).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<EmoteDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        Guid? channelId, string? code, HttpRequest request, ClaimsPrincipal user, LiveDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!EmoteRules.IsValidCode(code))
        {
            errors["code"] = ["code must be 2 to 25 letters and digits, starting with a letter."];
        }
        var image = await ReadImageAsync(request, cancellationToken);
        var contentType = image is null ? null : EmoteRules.SniffContentType(image);
        if (image is null || contentType is null)
        {
            errors["image"] = [$"The body must be a PNG, GIF or WebP image of 1 to {EmoteRules.MaxImageBytes} bytes."];
        }
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }
        var emote = new Emote
        {
            Id = Guid.CreateVersion7(), ChannelId = channelId, Code = code!, ContentType = contentType!, Image = image!,
            Sha256 = SHA256.HashData(image!), CreatedBy = user.UserId(),
        };
        db.Emotes.Add(emote);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, ApiErrorCodes.EmoteCodeTaken, "An emote with this code already exists here.");
        }
        return TypedResults.Created($"/api/emotes/{emote.Id:D}/image", emote.ToDto());
    }

    /// <summary>The body, or null when it is empty or larger than the limit (read no further than limit + 1 bytes).</summary>
    private static async Task<byte[]?> ReadImageAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > EmoteRules.MaxImageBytes)
        {
            return null;
        }
        var buffer = new byte[EmoteRules.MaxImageBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }
        return total is 0 or > EmoteRules.MaxImageBytes ? null : buffer[..total];
    }

    private static Task<List<EmoteDto>> ListAsync(LiveDbContext db, Guid? channelId, CancellationToken cancellationToken)
        => db.Emotes.AsNoTracking().Where(e => e.ChannelId == channelId).OrderBy(e => e.Code)
            .Select(e => new EmoteDto(e.Id, e.ChannelId, e.Code, e.ContentType, "/api/emotes/" + e.Id.ToString() + "/image", e.CreatedAt))
            .ToListAsync(cancellationToken);

    private static ProblemHttpResult NotFound()
        => ApiProblems.Problem(StatusCodes.Status404NotFound, ApiErrorCodes.EmoteNotFound, "No emote has this id.");
}
