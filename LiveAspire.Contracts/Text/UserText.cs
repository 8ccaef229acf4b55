using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace LiveAspire.Contracts.Text;

/// <summary>
/// The rules for text users type, written once (docs/accounts.md, "Names people see"). Names and titles people see
/// (usernames, display names, channel and stream titles, categories) are NFKC-normalised and refuse characters that
/// hide or disguise what is shown; free text (descriptions, ban reasons) and email addresses refuse what cannot be
/// stored or read back; passwords are never normalised but must be valid UTF-16. In Contracts so that Web and clients
/// can check a name the way Api will.
/// </summary>
public static class UserText
{
    /// <summary>
    /// False in a process without ICU (<c>InvariantGlobalization</c>), where <see cref="string.Normalize()"/> returns its
    /// input unchanged: <see cref="TryNormalizeName"/> then throws on a non-ASCII name rather than let look-alikes through.
    /// </summary>
    public static bool CanNormalize { get; } = "\u212A\uFF41".Normalize(NormalizationForm.FormKC) == "Ka";

    /// <summary>
    /// The name's NFKC form, trimmed, in <paramref name="normalized"/>; false (and null) when the name has a lone
    /// surrogate or a character of a refused category (<see cref="IsRefusedInNames"/>) before or after
    /// normalisation. NFKC folds look-alikes to one form (fullwidth <c>ｆｏｏ</c> to <c>foo</c>, the Kelvin sign to
    /// <c>K</c>, a letter and its combining accent to one character), so two names that look the same are the same.
    /// </summary>
    public static bool TryNormalizeName(string? name, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        // Normalize throws on a lone surrogate, hence the check first.
        if (name is null || !HasOnly(name, static c => !IsRefusedInNames(c)))
        {
            return false;
        }
        // ASCII is its own NFKC form, so a process without ICU (the seeder in the load tool) still checks ASCII names.
        var ascii = Ascii.IsValid(name);
        if (!ascii && !CanNormalize)
        {
            throw new InvalidOperationException("NFKC normalisation needs ICU; this process runs with InvariantGlobalization.");
        }
        var folded = (ascii ? name : name.Normalize(NormalizationForm.FormKC)).Trim();
        if (!HasOnly(folded, static c => !IsRefusedInNames(c)))
        {
            return false;
        }
        normalized = folded;
        return true;
    }

    /// <summary>
    /// Categories a name may not contain: controls (Cc: NUL, escape, line feed...), format characters (Cf: the bidi
    /// overrides and isolates such as U+202E, zero-width space, joiner and non-joiner, the byte-order mark, soft
    /// hyphen), unassigned code points (Cn, whose meaning a later Unicode version may change), and the line and
    /// paragraph separators (Zl, Zp).
    /// </summary>
    public static bool IsRefusedInNames(UnicodeCategory category) => category is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    /// <summary>True when <paramref name="text"/> is valid UTF-16 without a character a name refuses; not normalised (email addresses).</summary>
    public static bool IsCleanIdentifier(string text) => HasOnly(text, static c => !IsRefusedInNames(c));

    /// <summary>True when free text can be stored and read back as sent: valid UTF-16 (no lone surrogate) without controls (Cc, NUL among them).</summary>
    public static bool IsStorableText(string text) => HasOnly(text, static c => c is not UnicodeCategory.Control);

    /// <summary>True when <paramref name="text"/> has a lone (unpaired) UTF-16 surrogate: not text at all, and no UTF-8 form exists.</summary>
    public static bool HasLoneSurrogate(string text) => !HasOnly(text, static _ => true);

    private static bool HasOnly(string text, Func<UnicodeCategory, bool> allowed)
    {
        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out var rune, out var consumed) != OperationStatus.Done || !allowed(Rune.GetUnicodeCategory(rune)))
            {
                return false;
            }
            rest = rest[consumed..];
        }
        return true;
    }
}
