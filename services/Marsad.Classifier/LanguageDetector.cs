using Marsad.Arabic;

namespace Marsad.Classifier;

public sealed record DetectedLanguage(string Code, double Confidence);

/// <summary>
/// A first language identifier: the writing system decides between scripts, letters peculiar to Persian and Urdu
/// separate them from Arabic, and function-word frequencies separate the Latin-script languages. It is a
/// baseline, to be replaced by a character n-gram model trained on real text.
/// </summary>
public static class LanguageDetector
{
    private const string Unknown = "und";

    private static readonly Dictionary<string, HashSet<string>> FunctionWords = new()
    {
        ["en"] = ["the", "and", "of", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "it", "said", "from", "at", "he", "has", "are", "have", "be", "this", "which", "were", "will"],
        ["fr"] = ["le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "est", "que", "qui", "dans", "pour", "sur", "au", "aux", "par", "pas", "ce", "il", "elle", "a", "avec", "sont", "été"],
        ["es"] = ["el", "la", "los", "las", "de", "del", "y", "en", "un", "una", "es", "que", "por", "para", "con", "se", "su", "al", "como", "fue"],
        ["de"] = ["der", "die", "das", "und", "ist", "nicht", "mit", "den", "von", "zu", "ein", "eine", "im", "auf", "sich", "dem", "des", "für", "wurde"],
    };

    // Letters that Persian and Urdu use and Arabic does not.
    private const string PersianLetters = "پچژگ";
    private const string UrduLetters = "ٹڈڑںےھ";

    public static DetectedLanguage Detect(string text)
    {
        var arabicScript = 0;
        var latin = 0;
        var hebrew = 0;
        var cyrillic = 0;
        var persian = 0;
        var urdu = 0;
        foreach (var c in text)
        {
            if (ArabicNormalizer.IsArabicLetter(c))
            {
                arabicScript++;
                if (PersianLetters.Contains(c) || c is '\u06CC' or '\u06A9')
                {
                    persian++;
                }
                if (UrduLetters.Contains(c))
                {
                    urdu++;
                }
            }
            else if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '\u00C0' and <= '\u024F')
            {
                latin++;
            }
            else if (c is >= '\u0590' and <= '\u05FF')
            {
                hebrew++;
            }
            else if (c is >= '\u0400' and <= '\u04FF')
            {
                cyrillic++;
            }
        }

        var letters = arabicScript + latin + hebrew + cyrillic;
        if (letters == 0)
        {
            return new DetectedLanguage(Unknown, 0);
        }
        if (arabicScript >= latin && arabicScript >= hebrew && arabicScript >= cyrillic)
        {
            var share = (double)arabicScript / letters;
            // One Persian letter in a long Arabic article is a quoted name; a steady rate is Persian or Urdu text.
            if (urdu > arabicScript * 0.01)
            {
                return new DetectedLanguage("ur", share);
            }
            if (persian > arabicScript * 0.01)
            {
                return new DetectedLanguage("fa", share);
            }
            return new DetectedLanguage("ar", share);
        }
        if (hebrew > latin && hebrew > cyrillic)
        {
            return new DetectedLanguage("he", (double)hebrew / letters);
        }
        if (cyrillic > latin)
        {
            return new DetectedLanguage("ru", (double)cyrillic / letters);
        }
        return DetectLatin(text, (double)latin / letters);
    }

    private static DetectedLanguage DetectLatin(string text, double scriptShare)
    {
        var words = text.ToLowerInvariant()
            .Split((char[])[' ', '\n', '\t', '\r', ',', '.', ';', ':', '!', '?', '"', '(', ')', '\'', '’', '«', '»'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return new DetectedLanguage(Unknown, 0);
        }
        var scores = FunctionWords.ToDictionary(pair => pair.Key, pair => words.Count(pair.Value.Contains));
        var best = scores.MaxBy(pair => pair.Value);
        if (best.Value == 0)
        {
            return new DetectedLanguage(Unknown, 0);
        }
        var total = scores.Values.Sum();
        return new DetectedLanguage(best.Key, scriptShare * best.Value / total);
    }
}
