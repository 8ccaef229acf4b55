using System.Text.Json;

namespace LiveAspire.Api.Channels;

/// <summary>Field rules for channel metadata; each check adds a field error and returns the cleaned value.</summary>
public static class ChannelRules
{
    public const int MaxDisplayName = 64;
    public const int MaxTitle = 140;
    public const int MaxCategory = 64;
    public const int MaxDescription = 2000;
    public const int MaxAvatarUrl = 512;

    /// <summary>Settings are a JSON object of at most 8 KiB (serialized): chat rules and the like, read by Realtime.</summary>
    public const int MaxSettingsBytes = 8 * 1024;

    public static string? Text(string field, string? value, int max, bool required, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (trimmed is null)
        {
            if (required)
            {
                errors[field] = [$"{field} is required."];
            }
            return null;
        }
        if ((required && trimmed.Length == 0) || trimmed.Length > max || trimmed.Any(char.IsControl))
        {
            errors[field] = [$"{field} must be {(required ? 1 : 0)} to {max} characters without control characters."];
            return null;
        }
        return trimmed;
    }

    public static string? AvatarUrl(string? value, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length > MaxAvatarUrl || !Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            errors["avatarUrl"] = [$"avatarUrl must be an absolute http(s) URL of at most {MaxAvatarUrl} characters."];
            return null;
        }
        return uri.AbsoluteUri;
    }

    public static string? Settings(JsonElement? value, Dictionary<string, string[]> errors)
    {
        if (value is not { } settings || settings.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }
        var text = settings.GetRawText();
        if (settings.ValueKind is not JsonValueKind.Object || System.Text.Encoding.UTF8.GetByteCount(text) > MaxSettingsBytes)
        {
            errors["settings"] = [$"settings must be a JSON object of at most {MaxSettingsBytes} bytes."];
            return null;
        }
        return text;
    }
}
