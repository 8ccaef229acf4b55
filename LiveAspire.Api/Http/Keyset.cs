using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace LiveAspire.Api.Http;

/// <summary>
/// Keyset paging over (timestamp, id) in descending order: the cursor <c>{unixMicroseconds}.{id:N}</c> is the last
/// item of a page. Microseconds because that is PostgreSQL's precision, so the cursor round-trips exactly.
/// </summary>
public static class Keyset
{
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 20;

    public static string Cursor(DateTimeOffset at, Guid id)
        => $"{(at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}.{id:N}";

    public static bool TryParse(string? cursor, [NotNullWhen(true)] out (DateTimeOffset At, Guid Id)? position)
    {
        position = null;
        var parts = cursor?.Split('.');
        if (parts is not [var micros, var id] || !long.TryParse(micros, NumberStyles.None, CultureInfo.InvariantCulture, out var us)
            || us > 253_402_300_799_000_000 || !Guid.TryParseExact(id, "N", out var guid))
        {
            return false;
        }
        position = (DateTimeOffset.UnixEpoch.AddTicks(us * 10), guid);
        return true;
    }

    /// <summary>Checks <c>limit</c> and <c>after</c>; adds field errors to <paramref name="errors"/>.</summary>
    public static (int Limit, (DateTimeOffset At, Guid Id)? After) Read(int? limit, string? after, Dictionary<string, string[]> errors)
    {
        var size = Limit(limit, errors);
        (DateTimeOffset, Guid)? position = null;
        if (after is not null && !TryParse(after, out position))
        {
            errors["after"] = ["after must be the previous page's next cursor."];
        }
        return (size, position);
    }

    /// <summary>The page size every list takes: <c>limit</c> 1 to <see cref="MaxPageSize"/>, <see cref="DefaultPageSize"/>
    /// when absent; a field error in <paramref name="errors"/> otherwise.</summary>
    public static int Limit(int? limit, Dictionary<string, string[]> errors)
    {
        var size = limit ?? DefaultPageSize;
        if (size is < 1 or > MaxPageSize)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxPageSize}."];
        }
        return size;
    }
}
