using System.Text.Json;
using LiveAspire.Contracts.Text;

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

    /// <summary>
    /// A name or title people see (display name, title, category): the NFKC form, trimmed, of 1 (0 when not required)
    /// to <paramref name="max"/> characters without control, format (bidi controls, zero-width), unassigned or
    /// separator characters (<see cref="UserText.TryNormalizeName"/>). Null when absent or refused.
    /// </summary>
    public static string? Name(string field, string? value, int max, bool required, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return Missing(field, required, errors);
        }
        if (!UserText.TryNormalizeName(value, out var normalized) || (required && normalized.Length == 0) || normalized.Length > max)
        {
            errors[field] = [$"{field} must be {(required ? 1 : 0)} to {max} characters (after NFKC normalisation) without control, format (bidi, zero-width) or unassigned characters."];
            return null;
        }
        return normalized;
    }

    /// <summary>Free text (the description): trimmed, at most <paramref name="max"/> characters, no controls and no lone surrogates (<see cref="UserText.IsStorableText"/>).</summary>
    public static string? Text(string field, string? value, int max, bool required, Dictionary<string, string[]> errors)
    {
        var trimmed = value?.Trim();
        if (trimmed is null)
        {
            return Missing(field, required, errors);
        }
        if ((required && trimmed.Length == 0) || trimmed.Length > max || !UserText.IsStorableText(trimmed))
        {
            errors[field] = [$"{field} must be {(required ? 1 : 0)} to {max} characters without control characters."];
            return null;
        }
        return trimmed;
    }

    private static string? Missing(string field, bool required, Dictionary<string, string[]> errors)
    {
        if (required)
        {
            errors[field] = [$"{field} is required."];
        }
        return null;
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
        if (settings.ValueKind is not JsonValueKind.Object || System.Text.Encoding.UTF8.GetByteCount(text) > MaxSettingsBytes || !IsStorable(settings))
        {
            errors["settings"] = [$"settings must be a JSON object of at most {MaxSettingsBytes} bytes, without \\u0000 or lone surrogates."];
            return null;
        }
        return text;
    }

    /// <summary>
    /// False when a string or name in the JSON holds <c>\u0000</c> or a lone surrogate: JSON text can carry both escaped,
    /// and PostgreSQL's jsonb refuses them.
    /// </summary>
    private static bool IsStorable(JsonElement element)
    {
        try
        {
            return Walk(element);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to unescape a lone surrogate.
            return false;
        }

        static bool Walk(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => e.EnumerateObject().All(p => Storable(p.Name) && Walk(p.Value)),
            JsonValueKind.Array => e.EnumerateArray().All(Walk),
            JsonValueKind.String => Storable(e.GetString()!),
            _ => true,
        };

        static bool Storable(string text) => !text.Contains('\0', StringComparison.Ordinal) && !UserText.HasLoneSurrogate(text);
    }
}
