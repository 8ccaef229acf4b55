using System.Text.RegularExpressions;

namespace LiveAspire.Api.Emotes;

/// <summary>Emote codes and images. The database enforces the same code pattern, types and size (<c>emotes_*</c> checks).</summary>
public static partial class EmoteRules
{
    /// <summary>2 to 25 letters and digits, starting with a letter; read the same by .NET and PostgreSQL.</summary>
    public const string CodePattern = "^[A-Za-z][A-Za-z0-9]{1,24}$";

    /// <summary>Largest image accepted: 256 KiB.</summary>
    public const int MaxImageBytes = 256 * 1024;

    public static bool IsValidCode(string? code) => code is not null && !code.EndsWith('\n') && Code().IsMatch(code);

    /// <summary>The image type from its first bytes (PNG, GIF87a/89a, WebP), never from what the client claims; null otherwise.</summary>
    public static string? SniffContentType(ReadOnlySpan<byte> image)
    {
        if (image.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (image.StartsWith("GIF87a"u8) || image.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }
        if (image.Length >= 12 && image.StartsWith("RIFF"u8) && image[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        return null;
    }

    [GeneratedRegex(CodePattern)]
    private static partial Regex Code();
}
