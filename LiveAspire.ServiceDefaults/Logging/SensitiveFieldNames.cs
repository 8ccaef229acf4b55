namespace LiveAspire.ServiceDefaults.Logging;

/// <summary>
/// Decides from a log field's name alone that its value is a secret: <c>StreamKey</c>, <c>AccessToken</c>,
/// <c>password</c>, <c>Set-Cookie</c>, <c>Authorization</c>. Matching is by substring, case-insensitive, so an
/// unforeseen name (<c>RedisPassword</c>, <c>apikey</c>) is masked too; over-masking is the safe error.
/// </summary>
/// <remarks>
/// A name that ends in a separate word <c>Id</c>, <c>Ids</c>, <c>Count</c>, <c>Length</c> or <c>Type</c>
/// (<c>KeyId</c>, <c>TokenId</c>, <c>token_count</c>, <c>TokenType</c>) names metadata about a secret, which we need
/// for diagnosis, not the secret. Its value still goes through <see cref="SecretRedactor"/>.
/// </remarks>
public static class SensitiveFieldNames
{
    private static readonly string[] s_sensitive = ["token", "password", "secret", "key", "authorization", "cookie"];
    private static readonly string[] s_metadataSuffixes = ["Id", "Ids", "Count", "Length", "Type"];

    /// <summary>True when a field called <paramref name="name"/> must be logged as <see cref="SecretRedactor.Mask"/>.</summary>
    public static bool IsSensitive(string name)
    {
        var matched = false;
        foreach (var word in s_sensitive)
        {
            if (name.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                matched = true;
                break;
            }
        }
        return matched && !EndsWithMetadataWord(name);
    }

    private static bool EndsWithMetadataWord(string name)
    {
        foreach (var suffix in s_metadataSuffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                // A word boundary: "KeyId", "key_id", "key.id", "key-id"; but not "keyid" or "Paid".
                var start = name.Length - suffix.Length;
                var before = name[start - 1];
                if (before is '_' or '.' or '-' || (char.IsUpper(name[start]) && char.IsLower(before)))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
