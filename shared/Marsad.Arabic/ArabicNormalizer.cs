using System.Text;

namespace Marsad.Arabic;

/// <summary>
/// Folds the spelling variation of Arabic news text so that a reader's query finds what the writer meant:
/// hamza-carrying alefs, alef maqsura, taa marbuta, diacritics (tashkeel), tatweel, presentation forms,
/// Persian/Urdu letter forms, invisible bidi and joiner marks, and non-ASCII digits. Lucene's stock
/// ArabicNormalizer does the first five; the rest is what real feeds contain.
/// </summary>
public static class ArabicNormalizer
{
    /// <summary>
    /// The text in Unicode normalisation form KC. An unpaired surrogate (half an emoji, from a string cut in the
    /// wrong place or a bad escape in a feed) becomes U+FFFD first: .NET refuses to normalise such a string at all.
    /// </summary>
    public static string ComposeCompatibility(string text)
    {
        char[]? repaired = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                (repaired ??= text.ToCharArray())[i] = '\uFFFD';
            }
        }
        var whole = repaired is null ? text : new string(repaired);
        return whole.IsNormalized(NormalizationForm.FormKC) ? whole : whole.Normalize(NormalizationForm.FormKC);
    }

    /// <summary>Normalises a whole text; Latin letters are lower-cased with the invariant culture.</summary>
    public static string Normalize(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // NFKC first: it turns presentation forms (U+FB50–U+FEFF, including lam-alef ligatures) into letters.
        var composed = ComposeCompatibility(text);
        var builder = new StringBuilder(composed.Length);
        foreach (var c in composed)
        {
            var folded = Fold(c);
            if (folded != '\0')
            {
                builder.Append(folded);
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// Every single character this normaliser changes, with what it becomes (empty: dropped), over the blocks
    /// where Arabic text lives. Analyzers that cannot call <see cref="Normalize"/> (a Lucene char filter, an
    /// Elasticsearch mapping char filter) are built from this one table, so every store folds text the same way.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<char, string>> CharacterFoldings { get; } = BuildFoldings();

    private static KeyValuePair<char, string>[] BuildFoldings()
    {
        (char First, char Last)[] blocks =
        [
            ('\u00AD', '\u00AD'), ('\u0600', '\u06FF'), ('\u0750', '\u077F'), ('\u08A0', '\u08FF'),
            ('\u200B', '\u200F'), ('\u202A', '\u202E'), ('\u2066', '\u2069'),
            ('\uFB50', '\uFDFF'), ('\uFE70', '\uFEFF'),
        ];
        var foldings = new List<KeyValuePair<char, string>>();
        foreach (var (first, last) in blocks)
        {
            for (var c = first; c <= last; c++)
            {
                if (char.IsSurrogate(c))
                {
                    continue;
                }
                var folded = Normalize(c.ToString());
                if (folded != c.ToString())
                {
                    foldings.Add(new(c, folded));
                }
            }
        }
        return [.. foldings];
    }

    /// <summary>True for characters that carry no letter of their own and are dropped (diacritics, tatweel, bidi marks).</summary>
    public static bool IsIgnorable(char c) => Fold(c) == '\0';

    /// <summary>True when the character is in one of the Arabic script blocks.</summary>
    public static bool IsArabicLetter(char c) =>
        (c >= '\u0620' && c <= '\u064A') || (c >= '\u066E' && c <= '\u06D3') || (c >= '\u06FA' && c <= '\u06FF')
        || (c >= '\u0750' && c <= '\u077F') || (c >= '\u08A0' && c <= '\u08FF');

    /// <summary>The folded form of one character, or '\0' when it is dropped.</summary>
    private static char Fold(char c) => c switch
    {
        // Alef with hamza above/below, madda, wasla, wavy hamza: a reader types plain alef.
        '\u0622' or '\u0623' or '\u0625' or '\u0671' or '\u0672' or '\u0673' => '\u0627',
        // Alef maqsura and the Persian/Urdu yeh are written for yeh.
        '\u0649' or '\u06CC' or '\u06D2' => '\u064A',
        // Taa marbuta is commonly written as haa at the end of a word.
        '\u0629' => '\u0647',
        // Persian keheh and Urdu gaf-like kaf.
        '\u06A9' or '\u06AA' => '\u0643',
        // Tatweel (kashida) only stretches a word.
        '\u0640' => '\0',
        // Tashkeel, Quranic annotation and the superscript (dagger) alef.
        >= '\u064B' and <= '\u065F' => '\0',
        '\u0670' => '\0',
        >= '\u06D6' and <= '\u06ED' => '\0',
        // Zero-width and bidi controls: invisible, but they split or hide words.
        '\u061C' or '\u00AD' or '\uFEFF' => '\0',
        >= '\u200B' and <= '\u200F' => '\0',
        >= '\u202A' and <= '\u202E' => '\0',
        >= '\u2066' and <= '\u2069' => '\0',
        // Arabic-Indic and extended (Persian/Urdu) digits.
        >= '\u0660' and <= '\u0669' => (char)('0' + (c - '\u0660')),
        >= '\u06F0' and <= '\u06F9' => (char)('0' + (c - '\u06F0')),
        _ => char.ToLowerInvariant(c),
    };
}
