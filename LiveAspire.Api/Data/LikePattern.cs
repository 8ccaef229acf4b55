namespace LiveAspire.Api.Data;

/// <summary>
/// User text inside a SQL <c>LIKE</c>/<c>ILIKE</c> pattern: its <c>%</c> and <c>_</c> must match themselves, not any
/// run or any character (a search for <c>50%</c> must not list everything starting with 50).
/// </summary>
public static class LikePattern
{
    /// <summary>The escape character given to <c>ILIKE ... ESCAPE</c> with an escaped pattern.</summary>
    public const string EscapeCharacter = "\\";

    /// <summary><paramref name="text"/> with the escape character, <c>%</c> and <c>_</c> escaped.</summary>
    public static string Escape(string text)
        => text.Replace(EscapeCharacter, EscapeCharacter + EscapeCharacter, StringComparison.Ordinal)
            .Replace("%", EscapeCharacter + "%", StringComparison.Ordinal)
            .Replace("_", EscapeCharacter + "_", StringComparison.Ordinal);
}
