using LiveAspire.Contracts.Platform;

namespace LiveAspire.Api.Platform;

public static class PlatformApi
{
    public const string PlatformName = "LiveAspire";

    public static RouteGroupBuilder MapPlatformApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/platform").WithTags("Platform").AllowAnonymous();
        group.MapGet("", GetPlatform).WithName(nameof(GetPlatform));
        return group;
    }

    /// <summary>What the platform is and which schema it runs on, all read from PostgreSQL in one round trip.</summary>
    public static async Task<Ok<PlatformInfo>> GetPlatform(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT coalesce(max(version), 0) FROM schema_migrations),
                   now(),
                   (SELECT count(*) FROM channels)
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return TypedResults.Ok(new PlatformInfo(
            PlatformName,
            reader.GetInt32(0),
            reader.GetFieldValue<DateTimeOffset>(1),
            reader.GetInt64(2)));
    }
}
