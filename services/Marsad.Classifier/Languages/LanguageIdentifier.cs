using System.Globalization;
using System.Text;
using Marsad.Arabic;

namespace Marsad.Classifier.Languages;

public sealed record DetectedLanguage(string Code, double Confidence);

/// <summary>
/// Language identification with character n-grams (one to three letters, words padded with a space), a naive Bayes
/// model per language trained by <c>./marsad train languages</c> on the Universal Declaration of Human Rights. The
/// text is read paragraph by paragraph so that an article that quotes another language still gets the language most
/// of its letters are written in. Letters are kept as written: Arabic-script languages differ in exactly the letters
/// Arabic normalisation would fold (ی ي, ک ك, ه ة).
/// </summary>
public sealed class LanguageIdentifier
{
    public const string Undetermined = "und";

    /// <summary>N-grams are one to this many characters long.</summary>
    private const int LongestNgram = 3;

    /// <summary>
    /// An n-gram is packed into a number, 12 bits a character: the letters of every language the model knows are below
    /// U+1000 (anything above is one character, U+0FFF, that no model has seen), the length goes above them.
    /// </summary>
    private const int CharBits = 12;
    private const char CharMask = (char)0xFFF;

    /// <summary>Paragraphs are grouped into pieces of about this many letters, each identified on its own.</summary>
    private const int PieceLetters = 400;

    /// <summary>The three n-grams ending at a letter say nearly the same thing; counting them as one keeps the confidence honest.</summary>
    private const double NgramsPerObservation = 3;

    public static string ShippedPath { get; } = Path.Combine(AppContext.BaseDirectory, "Models", "languages.tsv");

    private static readonly Lazy<LanguageIdentifier> ShippedModel = new(() => Load(ShippedPath));

    /// <summary>The model shipped with Marsad.</summary>
    public static LanguageIdentifier Shipped => ShippedModel.Value;

    private readonly string[] _languages;
    private readonly Dictionary<ulong, float[]> _logProbabilities;
    private readonly HashSet<int>[] _scripts;

    private LanguageIdentifier(string[] languages, Dictionary<ulong, float[]> logProbabilities, HashSet<int>[] scripts)
    {
        _languages = languages;
        _logProbabilities = logProbabilities;
        _scripts = scripts;
    }

    public IReadOnlyList<string> Languages => _languages;

    /// <summary>The language most of the text's letters are written in, with a confidence between 0 and 1.</summary>
    public DetectedLanguage Identify(string text)
    {
        var lettersByLanguage = new double[_languages.Length];
        var confidenceByLanguage = new double[_languages.Length];
        var totalLetters = 0;
        foreach (var (best, confidence, letters) in Pieces(text).SelectMany(IdentifyPiece))
        {
            lettersByLanguage[best] += letters;
            confidenceByLanguage[best] += confidence * letters;
            totalLetters += letters;
        }
        if (totalLetters == 0)
        {
            return new DetectedLanguage(Undetermined, 0);
        }
        var dominant = Array.IndexOf(lettersByLanguage, lettersByLanguage.Max());
        var share = lettersByLanguage[dominant] / totalLetters;
        var meanConfidence = confidenceByLanguage[dominant] / lettersByLanguage[dominant];
        return new DetectedLanguage(_languages[dominant], Math.Round(share * meanConfidence, 3));
    }

    /// <summary>Every language's probability for one piece of text, best first (for diagnostics and tests).</summary>
    public IReadOnlyList<DetectedLanguage> Scores(string text)
    {
        var scores = new double[_languages.Length];
        Score(Normalise(text), scores);
        var probabilities = Posterior(scores);
        return _languages.Select((language, index) => new DetectedLanguage(language, Math.Round(probabilities[index], 4)))
            .OrderByDescending(language => language.Confidence)
            .ToList();
    }

    /// <summary>
    /// The languages of one piece: its words grouped by writing system, each group identified on its own, so that an
    /// English name in an Arabic paragraph neither drags the paragraph towards English nor is taken for Arabic.
    /// </summary>
    private IEnumerable<(int Language, double Confidence, int Letters)> IdentifyPiece(string piece)
    {
        foreach (var group in piece.Split(' ', StringSplitOptions.RemoveEmptyEntries).GroupBy(word => Script(word[0])))
        {
            var text = " " + string.Join("  ", group) + " ";
            var scores = new double[_languages.Length];
            if (Score(text, scores) == 0)
            {
                continue;
            }
            // Only a language written in the group's script is a candidate: smoothing would otherwise let whichever
            // language has the least text win every word in a script it never uses.
            for (var language = 0; language < scores.Length; language++)
            {
                if (!_scripts[language].Contains(group.Key))
                {
                    scores[language] = double.NegativeInfinity;
                }
            }
            if (double.IsNegativeInfinity(scores.Max()))
            {
                continue;
            }
            var probabilities = Posterior(scores);
            var best = Array.IndexOf(probabilities, probabilities.Max());
            yield return (best, probabilities[best], group.Sum(word => word.Length));
        }
    }

    /// <summary>The writing system of a letter, as the Unicode block it is in (close enough for grouping words).</summary>
    private static int Script(char letter) => letter switch
    {
        < '\u0250' => 0, // Latin
        >= '\u0370' and < '\u0400' => 1, // Greek
        >= '\u0400' and < '\u0530' => 2, // Cyrillic
        >= '\u0590' and < '\u0600' => 3, // Hebrew
        >= '\u0600' and < '\u0780' or >= '\u08A0' and < '\u0900' => 4, // Arabic
        >= '\u0900' and < '\u0980' => 5, // Devanagari
        _ => letter >> 7, // elsewhere, blocks of 128
    };

    private static double[] Posterior(double[] scores)
    {
        var max = scores.Max();
        var weights = scores.Select(score => Math.Exp((score - max) / NgramsPerObservation)).ToArray();
        var sum = weights.Sum();
        return weights.Select(weight => weight / sum).ToArray();
    }

    /// <summary>
    /// Adds each language's log-likelihood of the piece's n-grams to <paramref name="scores"/>; returns how many
    /// n-grams counted. An n-gram no language has seen (another script, a typing error) says nothing and is skipped.
    /// </summary>
    private int Score(string normalised, double[] scores)
    {
        var count = 0;
        foreach (var ngram in Ngrams(normalised))
        {
            if (!_logProbabilities.TryGetValue(ngram, out var row))
            {
                continue;
            }
            for (var language = 0; language < scores.Length; language++)
            {
                scores[language] += row[language];
            }
            count++;
        }
        return count;
    }

    /// <summary>The text's paragraphs, normalised, grouped into pieces of about <see cref="PieceLetters"/> letters.</summary>
    private static IEnumerable<string> Pieces(string text)
    {
        var piece = new StringBuilder();
        var letters = 0;
        foreach (var paragraph in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var normalised = Normalise(paragraph);
            var paragraphLetters = normalised.Count(char.IsLetter);
            if (paragraphLetters == 0)
            {
                continue;
            }
            if (letters > 0 && letters + paragraphLetters > PieceLetters)
            {
                yield return piece.ToString();
                piece.Clear();
                letters = 0;
            }
            piece.Append(' ').Append(normalised);
            letters += paragraphLetters;
        }
        if (letters > 0)
        {
            yield return piece.ToString();
        }
    }

    /// <summary>
    /// Lower case, compatibility forms composed (Arabic presentation forms become letters), marks that writers may
    /// leave out (tashkeel, tatweel, Hebrew points) dropped, and everything that is not a letter a single space.
    /// </summary>
    public static string Normalise(string text)
    {
        var composed = ArabicNormalizer.ComposeCompatibility(text);
        var normalised = new StringBuilder(composed.Length + 2).Append(' ');
        foreach (var c in composed)
        {
            if (char.IsLetter(c))
            {
                normalised.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format || c == '\u0640')
            {
                // A mark or a tatweel inside a word: the word goes on.
            }
            else if (normalised[^1] != ' ')
            {
                normalised.Append(' ');
            }
        }
        if (normalised[^1] != ' ')
        {
            normalised.Append(' ');
        }
        return normalised.ToString();
    }

    /// <summary>The one- to three-character n-grams of normalised text, each packed into a number; n-grams of spaces only are left out.</summary>
    internal static IEnumerable<ulong> Ngrams(string normalised)
    {
        for (var end = 0; end < normalised.Length; end++)
        {
            ulong packed = 0;
            for (var length = 1; length <= LongestNgram && end - length + 1 >= 0; length++)
            {
                var c = normalised[end - length + 1];
                packed |= (ulong)Math.Min(c, CharMask) << (CharBits * (length - 1));
                if (length == 1 && c == ' ')
                {
                    break;
                }
                yield return packed | ((ulong)length << 48);
            }
        }
    }

    internal static string Unpack(ulong ngram)
    {
        var length = (int)(ngram >> 48);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            // Packed from the last character backwards.
            chars[length - 1 - i] = (char)((ngram >> (CharBits * i)) & CharMask);
        }
        return new string(chars);
    }

    internal static ulong Pack(string ngram)
    {
        ulong packed = (ulong)ngram.Length << 48;
        for (var i = 0; i < ngram.Length; i++)
        {
            packed |= (ulong)Math.Min(ngram[ngram.Length - 1 - i], CharMask) << (CharBits * i);
        }
        return packed;
    }

    /// <summary>Reads a model written by <see cref="LanguageTraining"/>: per language, its n-gram counts.</summary>
    public static LanguageIdentifier Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No language model at {Path.GetFullPath(path)} (train one with ./marsad train languages).", path);
        }
        var counts = new Dictionary<string, Dictionary<ulong, int>>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var fields = line.Split('\t');
            if (fields.Length != 3 || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || fields[1].Length is 0 or > LongestNgram)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: expected 'language<TAB>n-gram<TAB>count', got '{line}'");
            }
            if (!counts.TryGetValue(fields[0], out var languageCounts))
            {
                counts[fields[0]] = languageCounts = [];
            }
            languageCounts[Pack(fields[1].Replace('_', ' '))] = count;
        }
        return FromCounts(counts);
    }

    /// <summary>Log-probabilities with add-one smoothing over the n-grams of all languages.</summary>
    internal static LanguageIdentifier FromCounts(IReadOnlyDictionary<string, Dictionary<ulong, int>> counts)
    {
        var languages = counts.Keys.Order(StringComparer.Ordinal).ToArray();
        var vocabulary = counts.Values.SelectMany(languageCounts => languageCounts.Keys).ToHashSet();
        var denominators = new double[languages.Length];
        for (var index = 0; index < languages.Length; index++)
        {
            denominators[index] = counts[languages[index]].Values.Sum() + (double)vocabulary.Count;
        }
        var logProbabilities = new Dictionary<ulong, float[]>(vocabulary.Count);
        foreach (var ngram in vocabulary)
        {
            var row = new float[languages.Length];
            for (var index = 0; index < languages.Length; index++)
            {
                row[index] = (float)Math.Log((counts[languages[index]].GetValueOrDefault(ngram) + 1.0) / denominators[index]);
            }
            logProbabilities[ngram] = row;
        }
        // The scripts a language is written in: those of the letters it uses more than now and then (a declaration
        // may quote a name in another script).
        var scripts = languages.Select(language =>
        {
            var letters = counts[language].Where(pair => pair.Key >> 48 == 1 && char.IsLetter((char)pair.Key)).ToList();
            var total = letters.Sum(pair => pair.Value);
            return letters.GroupBy(pair => Script((char)pair.Key)).Where(script => script.Sum(pair => pair.Value) * 20 >= total).Select(script => script.Key).ToHashSet();
        }).ToArray();
        return new LanguageIdentifier(languages, logProbabilities, scripts);
    }
}
